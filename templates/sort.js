// Optional table sorting: a progressive enhancement. Without JavaScript the tables are
// complete and in TI's order. Turns each column heading of a table.sortable into a
// button; numbers (with +, −, commas, %) sort numerically, "unknown" sorts last.
(function () {
  "use strict";
  function key(cell) {
    var t = cell.textContent.trim();
    var n = parseFloat(t.replace(/\u2212/g, "-").replace(/[,+%]/g, ""));
    return { t: t, n: n };
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (r) { return key(r.cells[col]); });
    var numeric = keys.every(function (k) { return !isNaN(k.n) || k.t === "" || k.t === "unknown"; });
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b], c;
      if (numeric) {
        var xn = isNaN(x.n) ? -Infinity : x.n, yn = isNaN(y.n) ? -Infinity : y.n;
        c = xn === yn ? 0 : (xn < yn ? -1 : 1);
      } else {
        c = x.t.localeCompare(y.t, undefined, { numeric: true });
      }
      return c * dir || a - b;
    });
    order.forEach(function (i) { body.appendChild(rows[i]); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  }
  function enhance(table) {
    if (!table.tHead || table.tBodies.length !== 1) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, col, th); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
})();
