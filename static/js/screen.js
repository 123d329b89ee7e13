/* The leader's screen (reports/jinja2/reports/screen.html): draws the figures from the page's JSON, then asks
   data.json for new ones every data-refresh seconds and draws them again, without reloading the page. Text is
   set with textContent only (never HTML). */
(function () {
  "use strict";
  var board = document.getElementById("screen");
  if (!board) { return; }
  var url = board.getAttribute("data-url");
  var seconds = parseInt(board.getAttribute("data-refresh"), 10) || 30;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function fill(target, nodes) {
    while (target.firstChild) { target.removeChild(target.firstChild); }
    nodes.forEach(function (node) { target.appendChild(node); });
  }

  function row(cells, header, className) {
    var tr = el("tr", null, className);
    cells.forEach(function (cell, index) {
      var td = el(header || index === 0 ? "th" : "td", cell, index ? "num" : "");
      if (header) { td.setAttribute("scope", "col"); } else if (index === 0) { td.setAttribute("scope", "row"); }
      tr.appendChild(td);
    });
    return tr;
  }

  function table(target, header, rows, total) {
    var head = el("thead"), body = el("tbody");
    head.appendChild(row(header, true));
    rows.forEach(function (cells) { body.appendChild(row(cells, false)); });
    if (total) { body.appendChild(row(total, false, "total")); }
    fill(target, [head, body]);
  }

  function tile(label, value, className) {
    var box = el("div", null, "screen-tile " + (className || ""));
    box.appendChild(el("span", value, "screen-tile-value"));
    box.appendChild(el("span", label, "screen-tile-label"));
    return box;
  }

  function draw(data) {
    var L = data.labels;
    document.getElementById("screen-as-of").textContent = data.as_of;
    fill(document.getElementById("screen-tiles"), [
      tile(L.received, data.today.received),
      tile(L.completed, data.today.completed),
      tile(L.open, data.open_total),
      tile(L.overdue, data.overdue_total, data.overdue_total ? "is-bad" : ""),
      tile(L.alerts_total, data.alerts.available ? data.alerts.totals.total : "—", data.alerts.available && data.alerts.totals.total ? "is-warn" : "")
    ]);
    table(document.getElementById("screen-units"), [L.unit, L.open, L.overdue],
      data.units.map(function (u) { return [u.name, u.open, u.overdue]; }),
      [L.total, data.open_total, data.overdue_total]);
    table(document.getElementById("screen-indicators"), [L.unit].concat(data.metrics),
      data.indicators.map(function (line) { return [line.name].concat(line.values); }),
      data.indicators_total ? [data.indicators_total.name].concat(data.indicators_total.values) : null);
    var most = data.categories.length ? data.categories[0].count : 1;
    fill(document.getElementById("screen-categories"), data.categories.map(function (c) {
      var item = el("li");
      item.appendChild(el("span", c.name, "screen-bar-name"));
      var bar = el("span", null, "screen-bar");
      var fillBar = el("span", null, "screen-bar-fill");
      fillBar.style.width = Math.max(2, Math.round(c.count / most * 100)) + "%";
      bar.appendChild(fillBar);
      item.appendChild(bar);
      item.appendChild(el("span", c.count, "screen-bar-count"));
      return item;
    }));
    var alerts = document.getElementById("screen-alerts");
    if (!data.alerts.available) {
      fill(alerts, [row([L.alerts_missing], false)]);
    } else {
      var bands = data.alerts.bands;
      table(alerts, [L.kind].concat(bands.map(function (b) { return L.bands[b] || b; })).concat([L.alerts_total]),
        data.alerts.rows.map(function (r) { return [r.label].concat(bands.map(function (b) { return r[b]; })).concat([r.total]); }),
        [L.total].concat(bands.map(function (b) { return data.alerts.totals[b]; })).concat([data.alerts.totals.total]));
    }
    board.setAttribute("data-drawn", data.as_of);
  }

  function refresh() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var stale = document.getElementById("screen-stale");
      if (request.status === 200) {
        stale.hidden = true;
        draw(JSON.parse(request.responseText));
        board.setAttribute("data-refreshed", String(Date.now()));
      } else {
        stale.hidden = false;
      }
    };
    request.onerror = function () { document.getElementById("screen-stale").hidden = false; };
    request.send();
  }

  draw(JSON.parse(document.getElementById("screen-data").textContent));
  window.setInterval(refresh, seconds * 1000);
}());
