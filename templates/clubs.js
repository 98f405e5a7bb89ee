// Filters of a district's clubs page: a progressive enhancement. The controls are hidden in
// the HTML and shown only here, so a reader without JavaScript sees the whole list, area
// by area, and no control that does nothing. Division, area and need are exact matches
// on the rows' data attributes; the text matches the club's name, number or area (accents
// and case ignored, so "bogota" finds "Bogotá" and "3045" finds 00003045). An area with
// no club left is hidden with its heading.
(function () {
  "use strict";
  var form = document.getElementById("club-filters");
  var table = form && document.getElementById(form.getAttribute("data-table"));
  if (!table) { return; }
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var out = form.querySelector("output");
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var groups = Array.prototype.slice.call(table.tBodies).map(function (body) {
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) {
      return r.hasAttribute("data-need");
    });
    return {
      body: body,
      rows: rows.map(function (r) {
        return {
          row: r,
          needs: r.getAttribute("data-need").split(" "),
          text: fold(r.getAttribute("data-text"))
        };
      })
    };
  });
  var total = groups.reduce(function (n, g) { return n + g.rows.length; }, 0);
  function apply() {
    var division = field("division").value;
    var area = field("area").value;
    var need = field("need").value;
    var q = fold(field("q").value.trim());
    var shown = 0;
    groups.forEach(function (g) {
      var inUnit = (division === "" || g.body.getAttribute("data-division") === division) &&
        (area === "" || g.body.getAttribute("data-area") === area);
      var left = 0;
      g.rows.forEach(function (r) {
        var hit = inUnit && (need === "" || r.needs.indexOf(need) !== -1) &&
          (q === "" || r.text.indexOf(q) !== -1);
        r.row.hidden = !hit;
        if (hit) { left += 1; }
      });
      g.body.hidden = left === 0;
      shown += left;
    });
    var filtered = division !== "" || area !== "" || need !== "" || q !== "";
    out.textContent = filtered ? shown + " of " + total + " clubs shown" : "";
  }
  form.addEventListener("input", apply);
  form.hidden = false;
  // the browser may restore the form's values when the reader comes back to the page
  apply();
})();
