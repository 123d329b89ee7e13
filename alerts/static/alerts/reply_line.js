// The reply form's "insert the unified reply line" buttons (alerts/jinja2/alerts/reply_line.html): the line goes
// at the end of the reply text (on a paragraph of its own; not twice), the form's reply_line_alert records
// which alert's line it was, and the handler keeps editing. No line is sent without the handler's submit.
(function () {
  "use strict";
  function insert(button) {
    var form = button.closest("form");
    if (!form) { return; }
    var text = form.querySelector("textarea[name=reply_text]");
    var used = form.querySelector("input[name=reply_line_alert]");
    var line = button.getAttribute("data-reply-line") || "";
    if (!text || !line) { return; }
    var value = text.value;
    if (value.indexOf(line) === -1) {
      // at the end, on a paragraph of its own (the button has the focus now, not the text)
      text.value = value + (value && !/\n$/.test(value) ? "\n" : "") + line;
      text.focus();
      text.setSelectionRange(text.value.length, text.value.length);
    } else {
      text.focus();
    }
    if (used) { used.value = button.getAttribute("data-alert") || ""; }
    button.setAttribute("aria-pressed", "true");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-reply-line]") : null;
    if (button) {
      event.preventDefault();
      insert(button);
    }
  });
}());
