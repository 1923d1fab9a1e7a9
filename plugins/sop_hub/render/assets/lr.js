/* SOP Hub learning records (SPEC §9): xAPI 1.0.3 statements from the browser to the hub's LRS,
   and the queue's state on the onboarding page. Loaded by quiz.js only when there is something to
   send: a record just made, statements queued from before, or on the onboarding page.

   Nothing lost, nothing doubled: each statement gets its UUID once, when it is made, and waits in
   localStorage ("sop-hub:lr:queue") until the LRS answers 200/204, or 409 (it has that id
   already). The queue is sent on every page load and when the browser comes back online, one
   statement at a time (a batch with one known id would be refused whole). Bounded: at most CAP
   statements, none older than AGE; what is dropped is counted and the onboarding page says so.
   Never breaks a page: every request has a timeout, every answer is only a status code, every
   storage access may fail. The learner and anything from storage go into pages as text only. */
(function () {
  "use strict";
  var QUEUE = "sop-hub:lr:queue", DROPPED = "sop-hub:lr:dropped", NOTICE = "sop-hub:lr:notice", PENDING = "sop-hub:lr:pending";
  var CAP = 500, AGE = 30 * 864e5, TIMEOUT = 10000;
  var PASSED = "http://adlnet.gov/expapi/verbs/passed", FAILED = "http://adlnet.gov/expapi/verbs/failed";
  var ACKNOWLEDGED = "http://activitystrea.ms/schema/1.0/acknowledge";
  var Q = window.sopHubQuiz, get = Q.get, learner = Q.learner, note = Q.say, busy = false, again = false;

  function put(key, value) {
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  // The hub's LRS settings, from this page or (instant navigation to a page without them) the
  // last page that had them: one hub, one LRS.
  var known = null;
  function config() {
    var el = document.querySelector("[data-sop-lr]"), c = null;
    try {
      c = el && JSON.parse(el.getAttribute("data-sop-lr"));
    } catch (e) { /* a damaged page: keep what was known */ }
    if (c && typeof c.endpoint == "string" && typeof c.site == "string") known = c;
    return known;
  }
  function queue() {
    var q = get(QUEUE);
    return Array.isArray(q) ? q.filter(function (e) { return e && e.s && typeof e.s.id == "string" && typeof e.t == "number"; }) : [];
  }
  function save(q) {
    var now = Date.now(), kept = q.filter(function (e) { return now - e.t < AGE; });
    if (kept.length > CAP) kept = kept.slice(kept.length - CAP);
    var lost = q.length - kept.length;
    if (lost) put(DROPPED, (+get(DROPPED) || 0) + lost);
    return put(QUEUE, kept);
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID(); // secure contexts only
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    h = h.join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function stamp(d) { // ISO 8601 in the learner's own offset: the matrix takes the date from it
    function p(n) { return ("0" + n).slice(-2); }
    var o = -d.getTimezoneOffset(), a = Math.abs(o);
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" +
      p(d.getMinutes()) + ":" + p(d.getSeconds()) + (o < 0 ? "-" : "+") + p(Math.floor(a / 60)) + ":" + p(a % 60);
  }
  function name(text) { return { "en-US": text }; }

  // Exactly the shapes tests/lrs/statements.py writes and core/training.py reads.
  function statement(c, l, ev) {
    var site = c.site, quiz = ev.kind == "quiz", revisions = quiz ? { quiz: ev.quizRev, page: ev.pageRev } : { page: ev.pageRev };
    var ext = {};
    ext[site + "sop-hub/revision"] = revisions;
    var s = {
      id: uuid(),
      actor: { objectType: "Agent", name: l.name, mbox: "mailto:" + l.email },
      verb: quiz ? { id: ev.passed ? PASSED : FAILED, display: name(ev.passed ? "passed" : "failed") }
        : { id: ACKNOWLEDGED, display: name("acknowledged") },
      object: {
        objectType: "Activity",
        id: site + "sop-hub/" + (quiz ? "quiz/" : "document/") + ev.id,
        definition: {
          type: quiz ? "http://adlnet.gov/expapi/activities/assessment" : "http://activitystrea.ms/schema/1.0/page",
          name: name(ev.title || ev.id)
        }
      },
      context: {
        contextActivities: {
          parent: [{ objectType: "Activity", id: site + ev.page, definition: { name: name(ev.pageTitle || ev.page) } }],
          grouping: ev.tracks.filter(Boolean).map(function (t) { return { objectType: "Activity", id: site + "sop-hub/track/" + t }; })
        },
        extensions: ext
      },
      timestamp: stamp(new Date(ev.when || Date.now())) // when it happened, though lr.js came later
    };
    if (quiz) s.result = {
      score: { scaled: Math.round((ev.raw / ev.max) * 1e4) / 1e4, raw: ev.raw, min: 0, max: ev.max },
      success: ev.passed,
      completion: true
    };
    return s;
  }

  function post(c, s) { // the HTTP status, or 0 when there was no answer (offline, timeout, CORS)
    var ctl = window.AbortController ? new AbortController() : null, timer = ctl && setTimeout(function () { ctl.abort(); }, TIMEOUT);
    var headers = { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" };
    if (c.auth) headers.Authorization = c.auth;
    return fetch(c.endpoint + "statements", { method: "POST", headers: headers, body: JSON.stringify(s), signal: ctl && ctl.signal })
      .then(function (r) { return r.status; }, function () { return 0; })
      .then(function (status) {
        clearTimeout(timer);
        return status;
      });
  }

  function flush() {
    var c = config();
    if (busy) again = true; // made while a flush runs: sent when it ends
    if (busy || !c || !queue().length || navigator.onLine === false) return Promise.resolve();
    busy = true;
    var todo = queue().map(function (e) { return e.s.id; });
    function step() {
      if (!todo.length) return Promise.resolve();
      var id = todo.shift(), entry = queue().filter(function (e) { return e.s.id == id; })[0];
      if (!entry) return step(); // another tab delivered it meanwhile
      return post(c, entry.s).then(function (status) {
        if (status == 200 || status == 204 || status == 409) { // 409: the LRS has this id already
          save(queue().filter(function (e) { return e.s.id != id; }));
          put(NOTICE, null);
          return step();
        }
        if (status == 401 || status == 403) return put(NOTICE, { status: status, date: stamp(new Date()) });
        if (status == 0 || status >= 500) return; // down or unreachable: try again later
        return step(); // refused this one (4xx): it stays queued (and capped); try the rest
      });
    }
    return step().then(done, done);
    function done() {
      busy = false;
      onboarding();
      if (again) {
        again = false;
        return flush();
      }
    }
  }

  function record(ev) {
    try {
      var c = config(), l = learner();
      if (!c) return;
      if (!l) return; // quiz.js says why (it loads this file only for a learner)
      var q = queue();
      q.push({ s: statement(c, l, ev), t: Date.now() });
      if (!save(q)) return note(ev.note, Q.FULL);
      note(ev.note, "Recorded for " + l.name + "; sending to the training record.");
      flush().then(function () {
        var left = queue().length;
        note(ev.note, left ? Q.waits(l.name)
          : "Sent to the training record for " + l.name + ".");
      });
    } catch (e) { /* a learning record must never break the page */ }
  }

  // -- the onboarding page: learner form, queue state, the reader's own record, reset ------------
  // The queue's state for the onboarding page (track.js shows it): kept in sopHub.lrState, announced.
  function onboarding() {
    var n = get(NOTICE);
    window.sopHub.lrState = { waiting: queue().length, dropped: +get(DROPPED) || 0, refused: n && (n.status == 401 || n.status == 403) ? n.status : 0 };
    document.dispatchEvent(new CustomEvent("sop-hub:lr"));
  }

  // Events quiz.js kept while this file was not here yet (see record there): each becomes one
  // statement, queued; taken out of storage in the same step, so no other page makes it again.
  function adopt() {
    var events = get(PENDING), notes = window.sopHubNotes || {};
    if (!Array.isArray(events) || !events.length || !config()) return;
    put(PENDING, null);
    events.forEach(function (ev) {
      if (!ev || typeof ev.id != "string") return;
      ev.note = notes[ev.key];
      ev.tracks = Array.isArray(ev.tracks) ? ev.tracks : [];
      record(ev);
    });
  }

  function init() {
    try {
      adopt();
      onboarding();
      flush();
    } catch (e) { /* never break the page */ }
  }

  window.sopHubLR = { record: record };
  window.addEventListener("online", function () { flush(); });
  window.sopHub.ready("lr", init);
})();
