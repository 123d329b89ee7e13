/* A date picker in the page's language, for every <input type="date">. The browser's own picker follows the
   browser's language (mm/dd/yyyy in an English Chrome); this one follows <html lang>: "2026年12月" and the
   weekdays 一 二 三 四 五 六 日 (the week starts on Monday), or "December 2026" and Mo Tu ... in English.
   The field becomes a text box that takes and keeps ISO yyyy-mm-dd, so forms and filters read what they read
   before; without this script the native date input stays as it is. Keyboard: the button opens it, the arrows
   move a day or a week, Page Up/Down a month, Home/End the week's first and last day, Enter or Space chooses,
   Escape closes. A date and time field gets the same picker and a 24-hour time box beside it. No inline style or
   script (the CSP): classes only, styled in hotline.css. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
  var WORDS = zh
    ? {
        weekdays: ["一", "二", "三", "四", "五", "六", "日"],
        weekdayNames: ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
        month: function (y, m) { return y + "年" + (m + 1) + "月"; },
        day: function (y, m, d) { return y + "年" + (m + 1) + "月" + d + "日"; },
        placeholder: "年-月-日", open: "选择日期", previous: "上个月", next: "下个月", today: "今天", clear: "清除", close: "关闭",
        format: "年-月-日，如 2026-12-31", invalid: "请按 年-月-日 填写日期，如 2026-12-31"
      }
    : {
        weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        weekdayNames: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        month: function (y, m) { return MONTHS[m] + " " + y; },
        day: function (y, m, d) { return MONTHS[m] + " " + d + ", " + y; },
        placeholder: "yyyy-mm-dd", open: "Choose date", previous: "Previous month", next: "Next month", today: "Today", clear: "Clear",
        close: "Close", format: "yyyy-mm-dd, e.g. 2026-12-31", invalid: "Enter the date as yyyy-mm-dd, e.g. 2026-12-31"
      };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  var counter = 0;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(date) { return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()); }
  function parse(text) {
    var m = ISO.exec((text || "").trim());
    if (!m) { return null; }
    var date = new Date(+m[1], +m[2] - 1, +m[3]);
    return iso(date) === m[0] ? date : null;
  }
  function sameDay(a, b) { return a && b && iso(a) === iso(b); }
  function addDays(date, n) { return new Date(date.getFullYear(), date.getMonth(), date.getDate() + n); }
  function addMonths(date, n) {
    var last = new Date(date.getFullYear(), date.getMonth() + n + 1, 0).getDate();
    return new Date(date.getFullYear(), date.getMonth() + n, Math.min(date.getDate(), last));
  }
  function mondayIndex(date) { return (date.getDay() + 6) % 7; }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function enhance(input) {
    var id = input.id || "date-pick-" + (++counter);
    input.id = id;
    var min = parse(input.getAttribute("min"));
    var max = parse(input.getAttribute("max"));
    input.type = "text";
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("pattern", "\\d{4}-\\d{2}-\\d{2}");
    input.setAttribute("placeholder", WORDS.placeholder);
    input.setAttribute("title", WORDS.format);
    input.classList.add("date-pick-input");

    var wrap = el("span", "date-pick");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var button = el("button", "date-pick-button");
    button.type = "button";
    button.setAttribute("aria-label", WORDS.open);
    button.setAttribute("title", WORDS.open);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id + "-calendar");
    wrap.appendChild(button);

    var dialog = el("div", "date-pick-calendar");
    dialog.id = id + "-calendar";
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "false");
    var head = el("div", "date-pick-head");
    var previous = el("button", "date-pick-nav date-pick-previous", "‹");
    previous.type = "button";
    previous.setAttribute("aria-label", WORDS.previous);
    var title = el("span", "date-pick-title");
    title.id = id + "-calendar-title";
    title.setAttribute("aria-live", "polite");
    var next = el("button", "date-pick-nav date-pick-next", "›");
    next.type = "button";
    next.setAttribute("aria-label", WORDS.next);
    head.appendChild(previous);
    head.appendChild(title);
    head.appendChild(next);
    dialog.setAttribute("aria-labelledby", title.id);
    dialog.appendChild(head);
    var grid = el("table", "date-pick-grid");
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-labelledby", title.id);
    var thead = el("thead");
    var headRow = el("tr");
    WORDS.weekdays.forEach(function (word, i) {
      var th = el("th", i > 4 ? "date-pick-weekend" : "", word);
      th.setAttribute("scope", "col");
      th.setAttribute("abbr", WORDS.weekdayNames[i]);
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    grid.appendChild(thead);
    var body = el("tbody");
    grid.appendChild(body);
    dialog.appendChild(grid);
    var foot = el("div", "date-pick-foot");
    var todayButton = el("button", "linklike date-pick-today", WORDS.today);
    todayButton.type = "button";
    var clearButton = el("button", "linklike date-pick-clear", WORDS.clear);
    clearButton.type = "button";
    var closeButton = el("button", "linklike date-pick-close", WORDS.close);
    closeButton.type = "button";
    foot.appendChild(todayButton);
    foot.appendChild(clearButton);
    foot.appendChild(closeButton);
    dialog.appendChild(foot);
    wrap.appendChild(dialog);

    var focused = null;

    function allowed(date) { return (!min || iso(date) >= iso(min)) && (!max || iso(date) <= iso(max)); }

    function render() {
      var today = new Date();
      var chosen = parse(input.value);
      var year = focused.getFullYear();
      var month = focused.getMonth();
      title.textContent = WORDS.month(year, month);
      while (body.firstChild) { body.removeChild(body.firstChild); }
      var first = new Date(year, month, 1);
      var day = addDays(first, -mondayIndex(first));
      for (var week = 0; week < 6; week++) {
        if (week > 3 && day.getMonth() !== month) { break; }
        var row = el("tr");
        for (var i = 0; i < 7; i++) {
          var cell = el("td");
          cell.setAttribute("role", "gridcell");
          var button = el("button", "date-pick-day", String(day.getDate()));
          button.type = "button";
          button.setAttribute("data-date", iso(day));
          button.setAttribute("aria-label", WORDS.day(day.getFullYear(), day.getMonth(), day.getDate()));
          button.tabIndex = sameDay(day, focused) ? 0 : -1;
          if (day.getMonth() !== month) { button.classList.add("date-pick-outside"); }
          if (i > 4) { button.classList.add("date-pick-weekend"); }
          if (sameDay(day, today)) {
            button.classList.add("date-pick-now");
            button.setAttribute("aria-current", "date");
          }
          if (sameDay(day, chosen)) {
            button.classList.add("date-pick-chosen");
            cell.setAttribute("aria-selected", "true");
          }
          if (!allowed(day)) { button.disabled = true; }
          cell.appendChild(button);
          row.appendChild(cell);
          day = addDays(day, 1);
        }
        body.appendChild(row);
      }
    }

    function focusDay() {
      var target = body.querySelector('button[data-date="' + iso(focused) + '"]');
      if (target) { target.focus(); }
    }

    function open() {
      focused = parse(input.value) || new Date();
      render();
      dialog.hidden = false;
      button.setAttribute("aria-expanded", "true");
      focusDay();
    }

    function close(returnFocus) {
      if (dialog.hidden) { return; }
      dialog.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (returnFocus) { button.focus(); }
    }

    function choose(date) {
      if (date && !allowed(date)) { return; }
      input.value = date ? iso(date) : "";
      input.setCustomValidity("");
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(false);
      input.focus();
    }

    function move(date) {
      focused = date;
      render();
      focusDay();
    }

    button.addEventListener("click", function () {
      if (dialog.hidden) { open(); } else { close(true); }
    });
    previous.addEventListener("click", function () { focused = addMonths(focused, -1); render(); });
    next.addEventListener("click", function () { focused = addMonths(focused, 1); render(); });
    todayButton.addEventListener("click", function () { choose(new Date()); });
    clearButton.addEventListener("click", function () { choose(null); });
    closeButton.addEventListener("click", function () { close(true); });
    body.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-date]");
      if (target && !target.disabled) { choose(parse(target.getAttribute("data-date"))); }
    });
    body.addEventListener("keydown", function (event) {
      var keys = {
        ArrowLeft: function () { return addDays(focused, -1); },
        ArrowRight: function () { return addDays(focused, 1); },
        ArrowUp: function () { return addDays(focused, -7); },
        ArrowDown: function () { return addDays(focused, 7); },
        PageUp: function () { return addMonths(focused, event.shiftKey ? -12 : -1); },
        PageDown: function () { return addMonths(focused, event.shiftKey ? 12 : 1); },
        Home: function () { return addDays(focused, -mondayIndex(focused)); },
        End: function () { return addDays(focused, 6 - mondayIndex(focused)); }
      };
      if (keys[event.key]) {
        event.preventDefault();
        move(keys[event.key]());
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(focused);
      }
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close(true);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && event.altKey) {
        event.preventDefault();
        open();
      } else if (event.key === "Escape") {
        close(false);
      }
    });
    input.addEventListener("change", function () {
      var text = input.value.trim();
      input.setCustomValidity(text && !parse(text) ? WORDS.invalid : "");
    });
    document.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) { close(false); }
    });
    wrap.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !wrap.contains(event.relatedTarget)) { close(false); }
    });
  }

  /* A date and time field (<input type="datetime-local">, whose native box is as much the browser's language):
     the field itself stays, hidden, and keeps the value sent (yyyy-mm-ddThh:mm); a date box with the picker
     (which takes the field's id, so its label still names it) and a 24-hour time box write into it. */
  var TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
  function enhanceDateTime(input) {
    var parts = (input.value || "").split("T");
    var date = el("input");
    date.type = "date";
    date.value = parts[0] || "";
    var limits = { min: input.getAttribute("min"), max: input.getAttribute("max") };
    Object.keys(limits).forEach(function (key) {
      if (limits[key]) { date.setAttribute(key, limits[key].split("T")[0]); }
    });
    var time = el("input", "date-pick-time");
    time.type = "text";
    time.value = (parts[1] || "").slice(0, 5);
    time.setAttribute("inputmode", "numeric");
    time.setAttribute("autocomplete", "off");
    time.setAttribute("pattern", "([01]?\\d|2[0-3]):[0-5]\\d");
    time.setAttribute("placeholder", zh ? "时:分" : "hh:mm");
    time.setAttribute("aria-label", zh ? "时间（24小时制，如 09:30）" : "Time (24-hour, e.g. 09:30)");
    time.setAttribute("title", zh ? "时间（24小时制，如 09:30）" : "Time (24-hour, e.g. 09:30)");
    date.id = input.id;
    input.id = input.id ? input.id + "-value" : "";
    if (input.required) { date.required = true; time.required = true; }
    var box = el("span", "date-pick-datetime");
    input.parentNode.insertBefore(box, input);
    box.appendChild(date);
    box.appendChild(time);
    box.appendChild(input);
    input.type = "hidden";
    function write() {
      var day = date.value.trim();
      var hour = time.value.trim();
      var m = TIME.exec(hour);
      time.setCustomValidity(hour && !m ? (zh ? "请按 时:分 填写时间，如 09:30" : "Enter the time as hh:mm, e.g. 09:30") : "");
      if (m) { hour = pad(+m[1]) + ":" + m[2]; }
      input.value = day ? (hour ? day + "T" + hour : day) : "";
    }
    date.addEventListener("input", write);
    date.addEventListener("change", write);
    time.addEventListener("input", write);
    time.addEventListener("change", function () {
      var m = TIME.exec(time.value.trim());
      if (m) { time.value = pad(+m[1]) + ":" + m[2]; }
      write();
    });
    enhance(date);
  }

  Array.prototype.forEach.call(document.querySelectorAll('input[type="datetime-local"]'), enhanceDateTime);
  Array.prototype.forEach.call(document.querySelectorAll('input[type="date"]'), enhance);
})();
