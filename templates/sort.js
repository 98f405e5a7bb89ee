// Optional table sorting: a progressive enhancement. Without JavaScript the tables are
// complete and in TI's order. Turns each column heading of a table.sortable into a
// button. A cell's key is its data-sort number when the page gives one (levels carry
// their place in the order the build defines), or the place of its text in the
// heading's data-order list (health words, listed once by the build; so no order is
// copied here), else its text: numbers (with +, U+2212 minus, commas, %) compare as numbers. The first
// click on a column of numbers sorts biggest first, on a column of text A to Z; the next
// click reverses. A cell with no value ("unknown", or blank where others are numbers)
// sorts last in both directions.
(function () {
  "use strict";
  var UNKNOWN = /^unknown\b/i;
  function key(cell, order) {
    var t = cell.textContent.trim();
    var s = cell.getAttribute("data-sort");
    if (order && (s === null || s === "")) {
      var at = order.indexOf(t);
      return { t: t, n: at, missing: at < 0 };
    }
    var n = s !== null && s !== "" ? Number(s) : parseFloat(t.replace(/\u2212/g, "-").replace(/[,+%]/g, ""));
    return { t: t, n: n, missing: (s === null || s === "") && (t === "" || UNKNOWN.test(t)) };
  }
  function compare(x, y, numeric) {
    if (numeric) return x.n === y.n ? 0 : (x.n < y.n ? -1 : 1);
    return x.t.localeCompare(y.t, undefined, { numeric: true });
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var order = th.hasAttribute("data-order") ? th.getAttribute("data-order").split("|") : null;
    var keys = rows.map(function (r) { return key(r.cells[col], order); });
    var numeric = keys.every(function (k) { return k.missing || !isNaN(k.n); });
    var now = th.getAttribute("aria-sort");
    var dir = now ? (now === "ascending" ? -1 : 1) : (numeric ? -1 : 1);
    var at = rows.map(function (r, i) { return i; });
    at.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (x.missing !== y.missing) return x.missing ? 1 : -1;
      return (x.missing ? 0 : compare(x, y, numeric) * dir) || a - b;
    });
    at.forEach(function (i) { body.appendChild(rows[i]); });
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
