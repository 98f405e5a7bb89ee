// The age of a page's figures, in words and in the reader's own calendar: a progressive
// enhancement of the age line (`p.age`), which names the figures' dates and reads right
// without it. The page's dates are in data attributes (nothing time-dependent is written
// when the site is built); the site's newest are in api/v1/status.json. Only once that
// file is read does the line gain "(3 days old)" and, when the site has newer figures
// than the build this page belongs to, a link to this page with them. Any failure (no
// fetch, file://, offline, an unexpected answer) leaves the page as it was. Checked again
// when the browser shows the page from its back-forward cache, days later perhaps.
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var line = document.getElementById("age");
  if (!line || !window.fetch || !window.JSON) return;

  // "2026-11-08" as a day number (days since 1970-01-01), or NaN.
  function dayNumber(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : NaN;
  }
  function today() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000;
  }
  function words(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1];
  }
  function age(days) {
    if (days === 0) return "today";
    if (days === 1) return "yesterday";
    return days + " days old";
  }
  function clear() {
    var live = line.querySelectorAll(".age-live, .age-newer");
    Array.prototype.forEach.call(live, function (el) { el.parentNode.removeChild(el); });
  }
  function show(site) {
    var own = dayNumber(line.getAttribute("data-date"));
    var days = today() - own;
    var time = line.querySelector("time");
    clear();
    // A date ahead of the reader's calendar (a clock or time zone far off): say nothing.
    if (time && days >= 0) {
      var span = document.createElement("span");
      span.className = "age-live";
      span.textContent = " (" + age(days) + ")";
      time.parentNode.insertBefore(span, time.nextSibling);
    }
    var newest = site && site.data_date;
    if (dayNumber(newest) > dayNumber(line.getAttribute("data-site-date"))) {
      var note = document.createElement("span");
      note.className = "age-newer";
      note.appendChild(document.createTextNode(" Newer figures, of " + words(newest) +
        ", are on the site: "));
      var link = document.createElement("a");
      link.href = line.getAttribute("data-current");
      link.textContent = "see this page with them";
      note.appendChild(link);
      note.appendChild(document.createTextNode("."));
      line.appendChild(note);
    }
  }
  function check() {
    var url = line.getAttribute("data-status");
    if (!url) return;
    fetch(url, { cache: "no-cache", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (site) {
        if (site && typeof site.data_date === "string" && !isNaN(dayNumber(site.data_date))) {
          show(site);
        }
      })
      .catch(function () { /* the page keeps its own dates */ });
  }
  check();
  window.addEventListener("pageshow", function (e) { if (e.persisted) check(); });
})();
