/* A search box above a long select (data-search): typing hides the options that do not contain the text, an
   option group with none left is hidden too, and a single match is chosen. The select itself is what is sent. */
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-search]");
  Array.prototype.forEach.call(selects, function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.setAttribute("aria-label", select.getAttribute("data-search-label") || "");
    box.placeholder = select.getAttribute("data-search-label") || "";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      var matches = [];
      Array.prototype.forEach.call(select.options, function (option) {
        var hit = !text || !option.value || option.text.toLowerCase().indexOf(text) !== -1;
        option.hidden = !hit;
        if (hit && option.value) {
          matches.push(option);
        }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var label = group.label.toLowerCase();
        var shown = Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
        if (text && label.indexOf(text) !== -1) {
          Array.prototype.forEach.call(group.children, function (option) { option.hidden = false; });
          shown = true;
        }
        group.hidden = !shown;
      });
      if (text && matches.length === 1) {
        select.value = matches[0].value;
      }
    });
  });
})();
