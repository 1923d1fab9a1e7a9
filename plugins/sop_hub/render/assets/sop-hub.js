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
    rows.sort(function (x, y) {
      var a = cellValue(x, index);
      var b = cellValue(y, index);
      var result = a === "" || b === "" ? compare(a, b) : sign * compare(a, b);
      if (result !== 0) return result;
      return Number(x.getAttribute("data-sop-order") || 0) - Number(y.getAttribute("data-sop-order") || 0);
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    for (var i = 0; i < headers.length; i++) {
      if (i === index) headers[i].setAttribute("aria-sort", direction);
      else headers[i].removeAttribute("aria-sort");
    }
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

  function init() {
    try {
      markPrint();
      refreshReviews(document);
      document.querySelectorAll("table[data-sop-sortable]").forEach(enhanceTable);
    } catch (error) {
      // Never break the page for the reader: the built-in status still shows.
      if (window.console) console.warn("sop-hub:", error);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.addEventListener("beforeprint", function () {
    try {
      markPrint();
    } catch (error) {
      if (window.console) console.warn("sop-hub:", error);
    }
  });
  // A tab left open past midnight re-checks when the reader comes back to it.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") init();
  });
})();
