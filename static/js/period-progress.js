/* The any-period page (reports/jinja2/reports/period.html): while a period is counted in the background, asks
   data-url (reports:period_progress) for the progress every second and draws it; when the count is done the
   page is loaded again and shows the figures. Text is set with textContent only. */
(function () {
  "use strict";
  var box = document.getElementById("period-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var bar = box.querySelector("progress");
  var text = document.getElementById("period-progress-text");
  var failed = document.getElementById("period-progress-failed");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        bar.value = data.percent;
        text.textContent = data.label + " " + data.done + "/" + data.total;
        if (data.status === "done") { window.location.reload(); return; }
        if (data.status === "failed") { failed.hidden = false; return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
}());
