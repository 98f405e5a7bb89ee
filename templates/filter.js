// Club filter on district pages: a progressive enhancement. The form is hidden in the
// HTML and shown only here, so a reader without JavaScript never sees a control that does
// nothing; the table is complete without it. Matches the club's name or number (accents
// and case ignored, so "bogota" finds "Bogotá" and "3045" finds 00003045).
(function () {
  "use strict";
  var box = document.getElementById("club-filter");
  var table = box && document.getElementById(box.getAttribute("data-table"));
  if (!table || !table.tBodies.length) { return; }
  var input = box.querySelector("input");
  var out = box.querySelector("output");
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // sort.js moves rows around; the row objects (and so this list) stay the same.
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  // the name, and the club number from the link to the club's page (clubs/<number>/)
  var texts = rows.map(function (r) {
    var link = r.cells[0].querySelector("a");
    var number = link ? link.getAttribute("href").split("/")[1] || "" : "";
    return fold(r.cells[0].textContent + " " + number);
  });
  function apply() {
    var q = fold(input.value.trim());
    var shown = 0;
    rows.forEach(function (r, i) {
      var hit = q === "" || texts[i].indexOf(q) !== -1;
      r.hidden = !hit;
      if (hit) { shown += 1; }
    });
    out.textContent = q === "" ? "" : shown + " of " + rows.length + " clubs shown";
  }
  input.addEventListener("input", apply);
  box.hidden = false;
  // the browser may restore a typed value when the reader comes back to the page
  apply();
})();
