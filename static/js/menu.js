/* The menu button of the top bar on a narrow screen (a phone): it opens and closes the navigation.
   Without this script the navigation stays in the bar and scrolls sideways (hotline.css). */
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-toggle");
  if (!button) {
    return;
  }
  bar.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = bar.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("menu-open")) {
      bar.classList.remove("menu-open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
