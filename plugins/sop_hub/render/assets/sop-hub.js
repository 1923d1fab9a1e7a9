/* SOP Hub: re-check review status on the reader's clock, and sort the document register.
 *
 * The site is built for one date; readers open it months later. Every element with a
 * data-review-by date (page headers, rows of the review pages) gets its data-review-status
 * recomputed from today's local date, with the same rule as the build (sop_hub/review.py):
 *   today > review-by          -> overdue
 *   today >= due-soon-from     -> due-soon
 *   otherwise                  -> current
 * Documents marked not-required (drafts, retired) are left alone.
 *
 * Also loads the quiz, track and learning-record scripts on the pages that have those parts.
 *
 * Loaded once; run on every page view, including Material's instant navigation (document$).
 * Defensive: a page with none of these elements is left untouched and raises no error.
 */
(function () {
  "use strict";

  var LABELS = { overdue: "Review overdue", "due-soon": "Review due soon", current: "Current" };
  var LIVE = ["overdue", "due-soon", "current"];
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The reader's local calendar date as YYYY-MM-DD (never the UTC date).
  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Whole calendar days from `from` to `to` (both YYYY-MM-DD), counted in UTC so no DST skew.
  function daysBetween(from, to) {
    if (!DATE.test(from || "") || !DATE.test(to || "")) return 0;
    var a = from.split("-").map(Number);
    var b = to.split("-").map(Number);
    return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86400000);
  }

  function statusFor(day, reviewBy, dueSoonFrom) {
    if (day > reviewBy) return "overdue";
    if (DATE.test(dueSoonFrom || "") && day >= dueSoonFrom) return "due-soon";
    return "current";
  }

  // Elements inside `owner` whose nearest data-review-by ancestor is `owner` itself
  // (a list row's badge must not be updated by the page header around it, or the reverse).
  function own(owner, selector) {
    var found = owner.querySelectorAll(selector);
    var mine = [];
    for (var i = 0; i < found.length; i++) {
      var holder = found[i].parentElement && found[i].parentElement.closest("[data-review-by]");
      if (holder === owner) mine.push(found[i]);
    }
    return mine;
  }

  function applyStatus(el, status) {
    el.setAttribute("data-review-status", status);
    own(el, "[data-sop-badge]").forEach(function (badge) {
      LIVE.forEach(function (s) {
        badge.classList.remove("sop-badge--" + s);
      });
      badge.classList.add("sop-badge--" + status);
      badge.textContent = LABELS[status];
    });
    own(el, "[data-sop-warning]").forEach(function (warning) {
      warning.hidden = warning.getAttribute("data-sop-warning") !== status;
    });
    // "N days overdue" from the reader's clock, not the build date.
    var late = status === "overdue" ? daysBetween(el.getAttribute("data-review-by"), today()) : 0;
    own(el, "[data-sop-days-overdue]").forEach(function (span) {
      span.textContent = late > 0 ? late + (late === 1 ? " day" : " days") : "not yet";
    });
    var showFor = el.getAttribute("data-sop-show-for");
    if (showFor !== null) el.hidden = showFor.split(/\s+/).indexOf(status) < 0;
  }

  function refreshReviews(root) {
    var day = today();
    var changed = false;
    var dated = root.querySelectorAll("[data-review-by]");
    for (var i = 0; i < dated.length; i++) {
      var el = dated[i];
      var reviewBy = el.getAttribute("data-review-by") || "";
      var current = el.getAttribute("data-review-status");
      if (!DATE.test(reviewBy) || current === "not-required" || LIVE.indexOf(current) < 0) continue;
      var status = statusFor(day, reviewBy, el.getAttribute("data-due-soon-from"));
      if (status !== current) changed = true;
      applyStatus(el, status);
    }
    refreshCounts(root);
    refreshEmpty(root);
    if (changed) {
      root.querySelectorAll("[data-sop-live-note]").forEach(function (note) {
        note.hidden = false;
      });
    }
  }

  // Counters (reviews page): the number of [data-sop-counted] elements with each status.
  function refreshCounts(root) {
    var counted = root.querySelectorAll("[data-sop-counted]");
    if (!counted.length) return;
    root.querySelectorAll("[data-sop-count]").forEach(function (counter) {
      var status = counter.getAttribute("data-sop-count");
      var n = 0;
      for (var i = 0; i < counted.length; i++) {
        if (counted[i].getAttribute("data-review-status") === status) n++;
      }
      counter.textContent = String(n);
    });
  }

  // A list of documents needing review shows its "nothing to do" note only when no row is visible.
  function refreshEmpty(root) {
    root.querySelectorAll("[data-sop-attention]").forEach(function (box) {
      var rows = box.querySelectorAll("[data-sop-show-for]");
      var visible = 0;
      for (var i = 0; i < rows.length; i++) if (!rows[i].hidden) visible++;
      box.querySelectorAll("[data-sop-empty]").forEach(function (el) {
        el.hidden = visible > 0;
      });
      box.querySelectorAll("[data-sop-nonempty]").forEach(function (el) {
        el.hidden = visible === 0;
      });
    });
  }

  // -- sortable tables (the document register) -------------------------------------------------

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    return (value !== null ? value : cell.textContent || "").trim();
  }

  var collator = typeof Intl !== "undefined" && Intl.Collator ? new Intl.Collator(undefined, { numeric: true, sensitivity: "base" }) : null;

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1; // empty cells last, whichever the direction
    if (b === "") return -1;
    return collator ? collator.compare(a, b) : a < b ? -1 : 1;
  }

  function sortBy(table, index, direction) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var sign = direction === "descending" ? -1 : 1;
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    // The group column, ascending, is the built order (retired last within each process group).
    var grouped = headers[index] && headers[index].hasAttribute("data-sop-group-column") && direction === "ascending";
    rows.sort(function (x, y) {
      // Retired documents last, whichever column and direction (they are kept for reference).
      var retired = grouped ? 0 : Number(x.hasAttribute("data-sop-retired")) - Number(y.hasAttribute("data-sop-retired"));
      if (retired !== 0) return retired;
      var a = cellValue(x, index);
      var b = cellValue(y, index);
      var result = a === "" || b === "" ? compare(a, b) : sign * compare(a, b);
      if (result !== 0) return result;
      return Number(x.getAttribute("data-sop-order") || 0) - Number(y.getAttribute("data-sop-order") || 0);
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    for (var i = 0; i < headers.length; i++) {
      if (i === index) headers[i].setAttribute("aria-sort", direction);
      else headers[i].removeAttribute("aria-sort");
    }
    // Out of process order, each row names its process again (see .sop-repeat in sop-hub.css).
    if (grouped) table.removeAttribute("data-sop-sorted");
    else table.setAttribute("data-sop-sorted", "");
  }

  function enhanceTable(table) {
    if (table.hasAttribute("data-sop-sort-ready") || !table.tHead || !table.tHead.rows.length) return;
    table.setAttribute("data-sop-sort-ready", "");
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sop-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var hint = document.createElement("span");
      hint.className = "sop-sort__icon";
      hint.setAttribute("aria-hidden", "true");
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortBy(table, index, next);
      });
    });
  }

  // -- filtering a listing (the register): type to narrow the rows, with a live count ---------

  function enhanceFilter(box) {
    if (box.hasAttribute("data-sop-filter-ready")) return;
    var table = document.getElementById(box.getAttribute("data-sop-filter-for") || "");
    var input = box.querySelector("[data-sop-filter]");
    var count = box.querySelector("[data-sop-filter-count]");
    if (!table || !input || !table.tBodies[0]) return;
    box.setAttribute("data-sop-filter-ready", "");
    box.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null; // each row's text, lower-cased once, on first use (3000 rows)
    var total = rows.length;
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (texts === null) texts = rows.map(function (row) { return (row.textContent || "").toLowerCase(); });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = true;
        for (var w = 0; w < words.length && match; w++) match = texts[i].indexOf(words[w]) >= 0;
        rows[i].hidden = !match;
        if (match) shown++;
      }
      if (words.length) table.setAttribute("data-sop-filtered", "");
      else table.removeAttribute("data-sop-filtered");
      if (count) count.textContent = shown + " of " + total + (total === 1 ? " document" : " documents");
    }
    input.addEventListener("input", apply);
    if (input.value) apply(); // a value the browser restored on back/forward
  }

  // A table wider than its column scrolls sideways inside its box, with a hint; one that fits
  // is left in the page flow so its sticky headings follow the page scroll.
  function checkScroll(root) {
    root.querySelectorAll("[data-sop-scroll]").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      box.toggleAttribute("data-sop-overflows", overflows);
      var hint = box.previousElementSibling;
      if (hint && hint.hasAttribute("data-sop-scroll-hint")) hint.hidden = !overflows;
    });
  }

  // -- the header's "Details": open on wide screens, one tap away on a phone -------------------

  var WIDE = "(min-width: 60em)";

  function openDetails(root) {
    var wide = window.matchMedia ? window.matchMedia(WIDE).matches : true;
    root.querySelectorAll("details[data-sop-details]").forEach(function (details) {
      if (details.hasAttribute("data-sop-details-set")) return; // the reader's own choice stands
      details.setAttribute("data-sop-details-set", "");
      details.open = wide;
    });
  }

  // Controlled copies (SPEC §8): every printed sheet carries the print date and the document's
  // id, version and revision. @page margin boxes only take strings, so the values are written
  // into a small @page rule (as CSS strings, escaped); refreshed on load and before printing.
  function cssString(text) {
    return '"' + String(text).replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ") + '"';
  }

  function markPrint() {
    var day = today();
    document.querySelectorAll("[data-sop-print-date]").forEach(function (el) {
      el.textContent = day;
    });
    var header = document.querySelector("[data-sop-print-mark]");
    var style = document.getElementById("sop-print-page");
    if (!header) {
      if (style) style.remove(); // instant navigation to a page that is not a document
      return;
    }
    var docText = header.querySelector("[data-sop-print-doc]");
    if (!style) {
      style = document.createElement("style");
      style.id = "sop-print-page";
      document.head.appendChild(style);
    }
    style.textContent =
      "@page { @top-left { content: " + cssString(docText ? docText.textContent.replace(/\s+/g, " ").trim() : "") +
      "; font: 8pt sans-serif; } @top-right { content: " + cssString("Printed " + day) +
      "; font: 8pt sans-serif; } }";
  }

  // -- Feature scripts: quiz.js, then track.js and lr.js, load only on the pages that use them
  // (issue 9: a quiz page carries its own weight, other pages none of it). Each runs on the page it
  // arrives on and registers with ready(); later pages (Material's instant navigation) run it
  // again from init() below. Loaded once per visit; the browser caches them like any asset.
  var SRC = document.currentScript && document.currentScript.src; // they sit beside this file
  var features = {};
  function use(name) {
    var feature = features[name];
    if (feature) return feature.run && start(feature.run); // still loading: it runs when it arrives
    if (!SRC) return;
    features[name] = {};
    var script = document.createElement("script");
    script.src = SRC.replace(/sop-hub\.js([?#].*)?$/, name + ".js$1");
    script.onerror = function () {
      delete features[name]; // offline or a server error: the next page (or use) tries again
      script.remove();
    };
    document.head.appendChild(script);
  }
  function start(run) {
    try {
      run();
    } catch (error) {
      if (window.console) console.warn("sop-hub:", error);
    }
  }
  function ready(name, run) {
    features[name] = { run: run };
    start(run);
  }
  window.sopHub = { use: use, ready: ready, today: today }; // today: also the date quizzes keep
  var QUIZ_PARTS = "form.sqz[data-key], [data-sop-ack], [data-sqz-track], [data-sop-onboarding]";

  // A new page (first load or instant navigation): its feature scripts, then the checks below.
  function page() {
    try {
      if (document.querySelector(QUIZ_PARTS)) use("quiz");
    } catch (error) {
      if (window.console) console.warn("sop-hub:", error);
    }
    init();
  }

  function init() {
    try {
      openDetails(document);
      refreshReviews(document);
      document.querySelectorAll("table[data-sop-sortable]").forEach(enhanceTable);
      document.querySelectorAll("[data-sop-filter-for]").forEach(enhanceFilter);
      checkScroll(document);
      markPrint();
    } catch (error) {
      // Never break the page for the reader: the built-in status still shows.
      if (window.console) console.warn("sop-hub:", error);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(page);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }
  window.addEventListener("beforeprint", function () {
    try {
      markPrint();
    } catch (error) {
      if (window.console) console.warn("sop-hub:", error);
    }
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    if (resizing) clearTimeout(resizing);
    resizing = setTimeout(function () {
      checkScroll(document);
    }, 150);
  });
  // A tab left open past midnight re-checks when the reader comes back to it.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") init();
  });
})();
