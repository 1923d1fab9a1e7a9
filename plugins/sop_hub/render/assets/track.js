/* SOP Hub track pages and the onboarding page (SPEC §5.2, §9). Loaded by quiz.js where there is a
   track. Fills each item's status from the results quiz.js keeps, counts progress, resets a track;
   on the onboarding page: the learner form, the reader's own record (table, "Download my record",
   print) and "Reset my progress". lr.js, when the hub has an LRS, shows the queue beside it. All
   values from storage go into the page as text only. */
(function () {
  "use strict";
  var Q = window.sopHubQuiz, load = Q.load, loadAck = Q.loadAck, drop = Q.drop, all = Q.all, get = Q.get, str = Q.str;
  var learner = Q.learner, once = Q.once, ACK = Q.ACK;
  var LEARNER = "sop-hub:learner";

  function lrs() { return document.querySelector("[data-sop-lr]"); }

  function initTrack(box) {
    if (!once(box, "data-sqz-ready")) return;
    var items = all(box, "[data-sqz-item]"), progress = box.querySelector("progress");
    var count = box.querySelector("[data-sqz-count]"), complete = box.querySelector("[data-sqz-complete]");
    if (!progress) return; // a track with nothing in it yet: nothing to count
    box.querySelector(".sqz-nojs").hidden = true;
    box.querySelector("[data-sqz-js]").hidden = false;

    function status(item) {
      if (item.dataset.doc) {
        var a = loadAck(item.dataset.doc);
        return { s: !a ? "none" : a.rev != item.dataset.rev ? "refresh" : "acknowledged", r: a };
      }
      var r = load(item.dataset.quiz);
      if (!r) return { s: "none", r: r };
      var changed = r.quiz != item.dataset.rev || all(item, "[data-page]").some(function (a) {
        return a.dataset.page == r.url && a.dataset.pageRev != r.page;
      });
      return { s: !r.passed ? "failed" : changed ? "refresh" : "passed", r: r };
    }
    function update() {
      var finished = 0, last = "";
      items.forEach(function (item) {
        var st = status(item), s = st.s, r = st.r, doc = !!item.dataset.doc, label = item.querySelector("[data-sqz-status]");
        item.dataset.status = s;
        label.hidden = false;
        label.textContent =
          s == "passed" ? "Passed on " + r.date
          : s == "acknowledged" ? "Acknowledged on " + r.date
          : s == "failed" ? "Not passed, best score " + r.pct + "%"
          : s == "refresh" ? (doc ? "Refresh needed: the procedure changed after you acknowledged it on "
            : "Refresh needed: the quiz or its procedure changed after you passed on ") + r.date
          : "Not started";
        if (s == "passed" || s == "acknowledged") {
          finished++;
          if (r.date > last) last = r.date;
        }
      });
      progress.value = finished;
      progress.textContent = count.textContent = finished + " of " + items.length + " done";
      var all_done = items.length > 0 && finished == items.length;
      box.dataset.complete = all_done;
      complete.hidden = !all_done;
      complete.querySelector("time").textContent = last;
      complete.querySelector("time").dateTime = last;
    }

    var reset = box.querySelector(".sqz-reset");
    if (reset) {
      var ask = reset.querySelector("[data-sqz-confirm]"), open = reset.querySelector("[data-sqz-reset]");
      var live = reset.querySelector(".sqz-live");
      reset.hidden = false;
      var close = function () {
        ask.hidden = true;
        open.focus();
      };
      open.addEventListener("click", function () {
        ask.hidden = false;
        live.textContent = "";
        reset.querySelector("[data-sqz-no]").focus();
      });
      reset.querySelector("[data-sqz-no]").addEventListener("click", close);
      ask.addEventListener("keydown", function (e) {
        if (e.key == "Escape") close();
      });
      reset.querySelector("[data-sqz-yes]").addEventListener("click", function () {
        items.forEach(function (item) {
          if (item.dataset.doc) drop(item.dataset.doc, ACK);
          else drop(item.dataset.quiz);
        });
        update();
        close();
        live.textContent = "Your progress in this track was reset.";
      });
    }
    update();
  }


  function rows(page) { // every item of every track on the page, once, with the reader's standing
    var seen = {}, out = [];
    all(page, "[data-sqz-item]").forEach(function (item) {
      var doc = item.dataset.doc, id = doc || item.dataset.quiz, key = (doc ? "d:" : "q:") + id;
      if (seen[key]) return;
      seen[key] = 1;
      var link = item.querySelector(".sqz-track-quiz"), r = get((doc ? "sop-hub:ack:" : "sop-hub:quiz:") + id);
      var row = { kind: doc ? "document" : "quiz", id: id, title: link ? link.textContent.trim() : id, status: "not started", date: "", revision: "" };
      if (r && typeof r.date == "string") {
        row.date = r.date;
        row.revision = str(doc ? r.rev : r.quiz);
        row.status = doc ? (r.rev == item.dataset.rev ? "acknowledged" : "refresh needed")
          : item.dataset.status == "refresh" ? "refresh needed" : r.passed ? "passed" : "not passed";
        if (!doc && typeof r.pct == "number") row.score = r.pct;
      }
      out.push(row);
    });
    return out;
  }
  function showRecord(page) {
    var box = page.querySelector("[data-sop-record]"), body = box.querySelector("[data-sop-record-rows]"), l = learner();
    box.hidden = false;
    box.querySelector("[data-sop-record-who]").textContent = l ? "Learner: " + l.name + " <" + l.email + ">"
      : "Learner: not given (fill in the form above).";
    body.textContent = "";
    rows(page).forEach(function (row) {
      var tr = body.appendChild(document.createElement("tr"));
      [row.title + " (" + row.id + ")", row.kind, row.status + (row.score != null ? ", " + row.score + "%" : ""), row.date, row.revision]
        .forEach(function (text) { tr.appendChild(document.createElement("td")).textContent = text; });
    });
  }
  function download(page) {
    var data = {
      self_reported: true,
      note: "Kept in the learner's own browser and not verified by anyone.",
      generated: new Date().toISOString(),
      site: location.origin + location.pathname,
      learner: learner(),
      items: rows(page)
    };
    var a = document.createElement("a"), url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    a.href = url;
    a.download = "sop-hub-record.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // What lr.js reports about its queue (SPEC §9: a queue that cannot be delivered is capped, and said).
  function showQueue() {
    var page = document.querySelector("[data-sop-onboarding]"), st = window.sopHub.lrState;
    if (!page || !st) return;
    var notice = page.querySelector("[data-sop-lr-notice]"), waiting = page.querySelector("[data-sop-lr-queue]"), text = [];
    if (st.refused)
      text.push("The training record refused this hub's credential (HTTP " + st.refused + "), so your records are kept in this " +
        "browser and sent again later. Please tell the hub's administrator.");
    if (st.dropped) text.push(st.dropped + " learning record" + (st.dropped == 1 ? " was" : "s were") + " dropped because they could not be " +
      "delivered for too long. Use \u201cDownload my record\u201d below to keep your own copy.");
    notice.textContent = text.join(" ");
    notice.hidden = !text.length;
    waiting.textContent = st.waiting ? st.waiting + " record" + (st.waiting == 1 ? "" : "s") + " waiting to be sent to the training record." : "";
    waiting.hidden = !waiting.textContent;
  }
  document.addEventListener("sop-hub:lr", showQueue);

  function initOnboarding() {
    var page = document.querySelector("[data-sop-onboarding]");
    if (!page || !once(page, "data-sop-onboarding-ready")) return;
    var form = page.querySelector("form[data-sop-learner]"), state = form.querySelector("[data-sop-learner-state]");
    var c = lrs();
    function fill() {
      var l = learner();
      form.elements.name.value = l ? l.name : "";
      form.elements.email.value = l ? l.email : "";
      state.textContent = l ? (c ? "Your records are sent as " : "Your record names ") + l.name + " <" + l.email + ">."
        : c ? "Nothing is sent to the training record until you give your name and e-mail." : "";
    }
    form.hidden = false;
    fill();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var l = { name: form.elements.name.value.trim(), email: form.elements.email.value.trim() };
      if (!l.name || !form.elements.email.checkValidity() || !l.email) return form.reportValidity();
      try {
        localStorage.setItem(LEARNER, JSON.stringify(l));
      } catch (err) {
        return (state.textContent = "This browser could not keep your name: its storage is full or switched off.");
      }
      fill();
      showRecord(page);
      if (c) window.sopHub.use("lr"); // sends what waited for a learner, shows the queue
    });
    var reset = page.querySelector("[data-sop-reset-all]"), ask = page.querySelector("[data-sop-reset-all-confirm]");
    var open = reset.querySelector("button");
    reset.hidden = false;
    open.addEventListener("click", function () {
      ask.hidden = false;
      ask.querySelector("[data-sop-reset-all-no]").focus();
    });
    ask.querySelector("[data-sop-reset-all-no]").addEventListener("click", function () {
      ask.hidden = true;
      open.focus();
    });
    ask.querySelector("[data-sop-reset-all-yes]").addEventListener("click", function () {
      try {
        Object.keys(localStorage).forEach(function (k) {
          if (/^sop-hub:(quiz|ack):/.test(k) || k == LEARNER) localStorage.removeItem(k);
        });
      } catch (e) { /* nothing to clear */ }
      location.reload(); // every status on the page from scratch
    });
    page.querySelector("[data-sop-download]").addEventListener("click", function () { download(page); });
    page.querySelector("[data-sop-print]").addEventListener("click", function () { window.print(); });
    showRecord(page);
    showQueue();
  }


  function init() {
    all(document, "[data-sqz-track]").forEach(initTrack);
    try {
      initOnboarding();
    } catch (e) { /* never break the page */ }
  }
  // track.css first, so progress and statuses never show unstyled; a missing sheet stops nothing.
  var src = document.currentScript && document.currentScript.src, css = document.createElement("link");
  var started = false;
  function start() {
    if (!started) window.sopHub.ready("track", init);
    started = true;
  }
  if (!src) return start();
  css.rel = "stylesheet";
  css.href = src.replace(/track\.js([?#].*)?$/, "track.css$1");
  css.onload = css.onerror = start;
  setTimeout(start, 3000); // a stylesheet that never answers holds nothing up for long
  document.head.appendChild(css);
})();
