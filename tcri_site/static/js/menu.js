// The site menu is a <details> that folds below 600 px. Where the browser cannot show a
// closed <details>' content with CSS (no ::details-content), keep it open when wide.
(function () {
  "use strict";
  var menu = document.querySelector("[data-nav-menu]");
  if (!menu || !window.matchMedia) return;
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  var wide = window.matchMedia("(min-width: 600px)");
  function sync() { if (!supported && wide.matches) menu.open = true; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();
