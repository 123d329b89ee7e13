/* File boxes (core/jinja2/forms.html): the page's own "choose a file" button in the page's language; this
   shows the chosen file's name beside it (the browser's own words are hidden). */
(function () {
  "use strict";
  document.querySelectorAll(".file-pick input[type=file]").forEach(function (input) {
    var name = input.parentNode.querySelector(".file-name");
    input.addEventListener("change", function () {
      var files = Array.prototype.map.call(input.files || [], function (file) {
        return file.name;
      });
      name.textContent = files.length ? files.join("、") : name.getAttribute("data-empty");
    });
  });
})();
