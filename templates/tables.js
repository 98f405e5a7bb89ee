// Table wrappers (`.scroll`) as tab stops only where they scroll: a progressive
// enhancement. The markup makes the wrapper of a table that may be wider than a phone a
// tab stop, so without JavaScript a keyboard can still scroll it; here each wrapper is
// measured and is a tab stop, with the visible scroll hint (class `scrolls`), exactly
// when its table is wider than it. Measured again when the window changes size or a
// <details> holding a table opens.
(function () {
  "use strict";
  var wrappers = document.querySelectorAll(".scroll");
  function measure() {
    Array.prototype.forEach.call(wrappers, function (w) {
      var scrolls = w.scrollWidth > w.clientWidth + 1;
      w.classList.toggle("scrolls", scrolls);
      if (scrolls) w.setAttribute("tabindex", "0");
      else w.removeAttribute("tabindex");
    });
  }
  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      measure();
    });
  }
  measure();
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);
  window.addEventListener("beforeprint", measure);
})();
