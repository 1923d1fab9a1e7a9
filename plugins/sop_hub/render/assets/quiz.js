/* SOP Hub quizzes and acknowledgements. Checks answers in the browser and keeps each quiz's best
   result in localStorage ("sop-hub:quiz:<id>"), shared by every page that embeds the quiz, and each
   read-and-understood as "sop-hub:ack:<doc id>" ({date, rev}).
   Loaded by sop-hub.js only on pages with a quiz, an acknowledgement or a track (sopHub.use); it
   loads track.js on track pages and lr.js (learning records) only when there is something to send:
   a record just made, or statements still queued from before. Quiz pages stay light (issue 9). */
(function () {
  "use strict";
  var KEY = "sop-hub:quiz:", ACK = "sop-hub:ack:";

  // Storage that never throws: disabled, full or corrupted storage reads as "no result".
  function load(id) {
    try {
      var r = JSON.parse(localStorage.getItem(KEY + id));
      return r && typeof r.pct == "number" && typeof r.date == "string" && typeof r.quiz == "string" ? r : null;
    } catch (e) {
      return null;
    }
  }
  function save(id, r) {
    try {
      localStorage.setItem(KEY + id, JSON.stringify(r));
      return true;
    } catch (e) {
      return false;
    }
  }
  function drop(id, prefix) {
    try {
      localStorage.removeItem((prefix || KEY) + id);
    } catch (e) { /* nothing to clear */ }
  }
  function get(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (e) {
      return null;
    }
  }
  function str(v) { return typeof v == "string" ? v : ""; }
  function learner() { // SPEC §9: set on the onboarding page (track.js); lr.js names it in statements
    var l = get("sop-hub:learner");
    return l && str(l.name).trim() && str(l.email).trim() ? { name: l.name.trim(), email: l.email.trim() } : null;
  }
  function loadAck(id) {
    try {
      var r = JSON.parse(localStorage.getItem(ACK + id));
      return r && typeof r.date == "string" && typeof r.rev == "string" ? r : null;
    } catch (e) {
      return null;
    }
  }

  // Learning records go only where the hub has an LRS ([data-sop-lr]). Until lr.js is here an
  // event waits in storage ("sop-hub:lr:pending"), so a failed fetch of lr.js, going offline or
  // a reload loses nothing; lr.js turns it into a statement (made once) when it arrives, here or
  // on a later page. The notes to update wait in window.sopHubNotes, by the event's key.
  var PENDING = "sop-hub:lr:pending";
  function lrs() { return document.querySelector("[data-sop-lr]"); }
  function waiting() { // statements queued, or events lr.js has not seen yet
    try {
      return /^\[\s*\{/.test(localStorage.getItem("sop-hub:lr:queue") || localStorage.getItem(PENDING) || "");
    } catch (e) {
      return false;
    }
  }
  // The line under a quiz or an acknowledgement that says what became of its learning record
  // (lr.js writes it too, with these words).
  var FULL = "Not sent to the training record: this browser's storage is full or switched off.";
  function waits(name) { return "Recorded for " + name + "; it waits in this browser until the training record can be reached."; }
  function say(el, text) {
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }
  function record(ev) {
    if (!lrs()) return; // no LRS: nothing leaves the browser
    var l = learner(), list = get(PENDING), note = ev.note;
    if (!l) return say(note, "Not sent to the training record: give your name and e-mail on the onboarding page first.");
    ev.when = Date.now();
    if (window.sopHubLR) return window.sopHubLR.record(ev);
    delete ev.note;
    ev.key = ev.when + ":" + Math.random();
    list = Array.isArray(list) ? list : [];
    list.push(ev);
    try {
      localStorage.setItem(PENDING, JSON.stringify(list));
    } catch (e) {
      return say(note, FULL);
    }
    (window.sopHubNotes = window.sopHubNotes || {})[ev.key] = note;
    say(note, waits(l.name));
    window.sopHub.use("lr");
  }
  window.addEventListener("online", function () {
    if (lrs() && waiting() && learner()) window.sopHub.use("lr"); // lr.js could not be fetched before
  });
  function pageTitle() {
    var h = document.querySelector(".md-content h1");
    return (h ? h.textContent : document.title).replace(/\u00b6/g, "").trim();
  }
  // After a pass or an acknowledgement: show the way on; "track complete" where every item is done.
  function done(item) {
    var kind = item.slice(0, item.indexOf(":")), id = item.slice(item.indexOf(":") + 1), r;
    if (kind == "quiz") return !!((r = load(id)) && r.passed);
    return !!loadAck(id);
  }
  function showNext(box) {
    var nav = box.querySelector("[data-sqz-next]");
    if (!nav) return;
    all(nav, "[data-sqz-step]").forEach(function (step) {
      var complete = step.dataset.items.split(" ").every(done);
      step.querySelector("[data-sqz-step-next]").hidden = complete;
      step.querySelector("[data-sqz-step-done]").hidden = !complete;
    });
    nav.hidden = false;
  }

  // The inverse of sop_hub.render.quiz.encode: base64, XOR with 64 key bytes, JSON.
  function decode(text, seed) {
    var h = 2166136261, i, key = [], b = atob(text), out = new Uint8Array(b.length);
    for (i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    for (i = 0; i < 64; i++) {
      h ^= h << 13; h ^= h >>> 17; h ^= h << 5;
      key.push(h & 255);
    }
    for (i = 0; i < b.length; i++) out[i] = b.charCodeAt(i) ^ key[i % 64];
    return JSON.parse(new TextDecoder().decode(out));
  }

  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  // Each part is set up once: init runs again for a page only if Material swaps in a new one,
  // but a part must never get a second set of controls and handlers.
  function once(el, flag) {
    if (el.hasAttribute(flag)) return false;
    el.setAttribute(flag, "");
    return true;
  }
  function revisionOf(el) { // the document revision from the header when there is one (SPEC §8)
    var h = document.querySelector("[data-sop-revision]");
    return (h && h.getAttribute("data-sop-revision")) || el.dataset.rev;
  }
  function node(tag, cls, text) {
    var el = document.createElement(tag);
    el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  function shuffle(kids) {
    kids = kids.slice();
    for (var i = kids.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = kids[i];
      kids[i] = kids[j]; kids[j] = t;
    }
    return kids;
  }
  function same(a, b) { return a.length == b.length && a.every(function (x, i) { return x == b[i]; }); }
  // As normalise_answer in quiz/schema.py: NFKC, case folding, spaces collapsed. No casefold() in
  // JS: upper then lower folds ß -> SS -> ss; final sigma is mapped by hand. Known difference:
  // letters whose folding is not lower(upper(c)) (Cherokee) differ; none in Latin, Greek, Cyrillic.
  function norm(s) {
    s = s.normalize("NFKC").toUpperCase().toLowerCase().replace(/\u03c2/g, "\u03c3").normalize("NFKC");
    return s.trim().split(/\s+/).join(" ");
  }

  // The key's HTML is sanitized at build time (nh3); it still goes in through an inert template
  // and this allowlist of the same subset, never as raw innerHTML.
  var TAGS = " P BR EM STRONG CODE PRE A UL OL LI BLOCKQUOTE TABLE THEAD TBODY TR TH TD IMG DEL HR SUB SUP ";
  var ATTRS = { A: "href title rel", OL: "start", TH: "align", TD: "align", IMG: "src alt title" };
  function safeUrl(v) {
    v = v.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "");
    return /^(https?|mailto):/i.test(v) || !/^[a-z][a-z0-9+.-]*:/i.test(v);
  }
  function markup(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    all(t.content, "*").forEach(function (el) {
      var ok = (ATTRS[el.tagName] || "").split(" ");
      if (TAGS.indexOf(" " + el.tagName + " ") < 0 || el.namespaceURI != t.namespaceURI) return el.remove();
      Array.prototype.slice.call(el.attributes).forEach(function (a) {
        var n = a.name;
        if (ok.indexOf(n) < 0 || (n == "href" || n == "src") && !safeUrl(a.value)) el.removeAttribute(n);
      });
    });
    return t.content;
  }

  function initQuiz(form) {
    var d = form.dataset, key;
    if (!once(form, "data-sqz-ready")) return;
    try {
      key = decode(d.key, d.quiz + ":" + d.rev);
    } catch (e) {
      return; // a damaged page: leave the questions readable, as with JavaScript off
    }
    // The page holds only the questions; the controls that need this script are made here.
    var qs = all(form, ".sqz-q"), best = node("p", "sqz-best"), actions = node("div", "sqz-actions");
    var check = actions.appendChild(node("button", "md-button md-button--primary", "Check answers"));
    var retry = actions.appendChild(node("button", "md-button", "Try again"));
    var score = node("div", "sqz-score"), live = node("p", "sqz-sr sop-visually-hidden"), sent = node("p", "sqz-sent");
    var next = form.querySelector("[data-sqz-next]");
    check.type = "submit";
    retry.type = "button";
    retry.hidden = true;
    sent.hidden = true;
    sent.dataset.sqzSent = "";
    // The result, shown and announced; move positions go to a visually hidden live region.
    score.setAttribute("role", "status");
    score.setAttribute("aria-live", "polite");
    score.dataset.quizResult = "";
    score.tabIndex = -1;
    live.setAttribute("aria-live", "polite");
    form.querySelector(".sqz-nojs").hidden = true;
    form.insertBefore(best, qs[0]);
    form.insertBefore(actions, next);
    form.insertBefore(score, next);
    form.insertBefore(sent, next);
    form.insertBefore(live, next);
    qs.forEach(function (q) {
      all(q, ".sqz-order > li").forEach(function (li) {
        var item = node("span", "sqz-item"), move = node("span", "sqz-move"), text = li.textContent.trim();
        while (li.firstChild) item.appendChild(li.firstChild);
        [["-1", "↑", "Move up: "], ["1", "↓", "Move down: "]].forEach(function (m) {
          var b = move.appendChild(node("button", "", m[1]));
          b.type = "button";
          b.dataset.move = m[0];
          b.setAttribute("aria-label", m[2] + text);
        });
        li.appendChild(item);
        li.appendChild(move);
      });
      if (q.dataset.kind == "order") q.insertBefore(node("p", "sqz-hint", "Put these in order with the move buttons."), q.querySelector("ol"));
      q.appendChild(node("div", "sqz-out")).hidden = true;
    });

    function stale(r) { return r.quiz != d.rev || (r.url == d.page && r.page != pageRev()); }
    function pageRev() { return revisionOf({ dataset: { rev: d.pageRev } }); }
    // The reader's standing on load and after each check: data-quiz-state passed | refresh | failed | none.
    function showBest() {
      var r = load(d.quiz), state = !r ? "none" : !r.passed ? "failed" : stale(r) ? "refresh" : "passed";
      form.dataset.quizState = state;
      best.hidden = !r;
      best.textContent = state == "passed" ? "Passed on " + r.date + " (best result " + r.pct + "%)."
        : state == "refresh" ? "Refresh needed: you passed on " + r.date + " (" + r.pct + "%), but this quiz or its page has changed since; take it again."
        : state == "failed" ? "Not passed yet: your best result is " + r.pct + "% on " + r.date + "."
        : "";
      if (next) {
        if (state == "passed") showNext(form);
        else next.hidden = true;
      }
    }
    function ends(ol) {
      var lis = all(ol, "li");
      lis.forEach(function (li, i) {
        li.querySelector('[data-move="-1"]').disabled = i == 0;
        li.querySelector('[data-move="1"]').disabled = i == lis.length - 1;
      });
    }
    // As built (never solved) or shuffled; an order question is reshuffled until it is unsolved.
    function arrange() {
      qs.forEach(function (q, n) {
        var list = q.querySelector(".sqz-order, .sqz-choices"), kids = list && list.built;
        if (!list) return;
        if (!kids) kids = list.built = Array.prototype.slice.call(list.children);
        var order = q.dataset.kind == "order", mix = d.shuffle != null && q.dataset.kind != "boolean", k = key[n].o;
        for (var tries = 0; tries < 50; tries++) {
          var shown = mix ? shuffle(kids) : kids;
          if (!order || !same(shown.map(function (li) { return +li.dataset.value; }), k)) break;
          mix = true;
        }
        shown.forEach(function (li) { list.appendChild(li); });
        if (order) ends(list);
      });
    }

    // Enter in an answer never submits the quiz (browsers submit a form on Enter in an input):
    // it moves on to the next question, or to "Check answers" after the last one.
    form.addEventListener("keydown", function (e) {
      if (e.key != "Enter" || e.target.tagName != "INPUT") return;
      e.preventDefault();
      var at = qs.indexOf(e.target.closest(".sqz-q")), to = qs[at + 1];
      (to ? to.querySelector("input, button:not([disabled])") || check : check).focus();
    });

    form.addEventListener("click", function (e) {
      var b = e.target.closest("[data-move]");
      if (!b || b.disabled) return;
      var li = b.closest("li"), ol = li.parentNode, up = b.dataset.move == "-1";
      if (up) ol.insertBefore(li, li.previousElementSibling);
      else ol.insertBefore(li.nextElementSibling, li);
      ends(ol);
      (b.disabled ? li.querySelector('[data-move="' + (up ? 1 : -1) + '"]') : b).focus();
      var lis = all(ol, "li");
      live.textContent = li.querySelector(".sqz-item").textContent + ": position " + (lis.indexOf(li) + 1) + " of " + lis.length;
    });

    // Unanswered questions are listed (linked) and nothing is scored, stored, sent or revealed.
    function unanswered() {
      return qs.filter(function (q) {
        var k = q.dataset.kind;
        if (k == "order") return false; // an order always has an answer: the one shown
        if (k == "text") return !q.querySelector("input").value.trim();
        return !q.querySelector("input:checked");
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var missing = unanswered();
      if (missing.length) {
        score.textContent = "";
        score.appendChild(document.createTextNode(
          "Answer every question first; nothing was checked or recorded. Still to answer: "));
        missing.forEach(function (q, i) {
          var a = score.appendChild(node("a", "", "question " + (qs.indexOf(q) + 1)));
          a.href = "#" + q.id;
          if (i < missing.length - 1) score.appendChild(document.createTextNode(", "));
        });
        score.appendChild(document.createTextNode("."));
        form.dataset.incomplete = missing.length;
        score.focus();
        return;
      }
      delete form.dataset.incomplete;
      var right = 0;
      qs.forEach(function (q, n) {
        var k = key[n], out = q.querySelector(".sqz-out"), ok, answer = null;
        if (k.o) {
          ok = same(all(q, "li").map(function (li) { return +li.dataset.value; }), k.o);
          if (!ok) {
            answer = node("div", "sqz-answer", "The right order:");
            var ol = answer.appendChild(node("ol", ""));
            k.o.forEach(function (v) {
              var li = ol.appendChild(node("li", "")); // clones of the shown item, no HTML strings
              Array.prototype.forEach.call(q.querySelector('li[data-value="' + v + '"] .sqz-item').childNodes, function (c) {
                li.appendChild(c.cloneNode(true));
              });
            });
          }
        } else if (k.a) {
          ok = k.a.indexOf(norm(q.querySelector("input").value)) >= 0;
          if (!ok) answer = node("p", "sqz-answer", "Accepted answer: " + k.s);
        } else {
          var inputs = all(q, "input");
          ok = same(inputs.filter(function (i) { return i.checked; }).map(function (i) { return +i.value; }).sort(), k.c);
          inputs.forEach(function (i) {
            var v = +i.value, label = i.closest("label"), good = k.c.indexOf(v) >= 0;
            // Said in words and with a mark (✗ / ✓ / ○), not by colour alone.
            if (i.checked && !good) {
              label.classList.add("sqz-wrong");
              label.appendChild(node("span", "sqz-tag sqz-added", "✗ your pick (wrong)"));
            }
            if (!ok && good) {
              label.classList.add("sqz-right", i.checked ? "sqz-picked" : "sqz-missed");
              label.appendChild(node("span", "sqz-tag sqz-added", i.checked ? "✓ your pick (right)" : "○ right answer you missed"));
            }
            if (i.checked && k.f && k.f[v]) label.appendChild(node("span", "sqz-cfb sqz-added")).appendChild(markup(k.f[v]));
          });
        }
        q.classList.add(ok ? "sqz-ok" : "sqz-no");
        q.dataset.result = ok ? "right" : "wrong";
        out.textContent = "";
        out.appendChild(node("p", "sqz-mark", ok ? "Correct." : "Not quite."));
        if (answer) out.appendChild(answer);
        if (k.e) out.appendChild(node("div", "sqz-expl")).appendChild(markup(k.e));
        out.hidden = false;
        if (ok) right++;
      });
      all(form, "input, .sqz-move button").forEach(function (i) { i.disabled = true; });
      var total = qs.length, pct = Math.round((100 * right) / total), passed = right * 100 >= +d.pass * total;
      var r = { pct: pct, score: right, total: total, passed: passed, date: window.sopHub.today(), quiz: d.rev, page: pageRev(), url: d.page };
      var old = load(d.quiz), kept = true;
      if (!old || stale(old) || pct >= old.pct) kept = save(d.quiz, r);
      form.dataset.passed = passed;
      score.textContent = "You scored " + right + " of " + total + " (" + pct + "%). " +
        (passed ? "Passed: the pass mark is " : "Not passed: the pass mark is ") + d.pass + "%." +
        (kept ? "" : " Your result could not be saved in this browser.");
      showBest();
      check.hidden = true;
      retry.hidden = false;
      score.focus();
      record({
        kind: "quiz", id: d.quiz, title: form.querySelector(".sqz-title").textContent.trim(), passed: passed,
        raw: right, max: total, quizRev: d.rev, pageRev: pageRev(), page: d.page, pageTitle: pageTitle(),
        tracks: all(form, "[data-sqz-step]").map(function (s) { return s.dataset.track; }), note: sent
      });
    });

    retry.addEventListener("click", function () {
      qs.forEach(function (q) {
        q.classList.remove("sqz-ok", "sqz-no");
        delete q.dataset.result;
        q.querySelector(".sqz-out").hidden = true;
      });
      all(form, ".sqz-added").forEach(function (el) { el.remove(); });
      all(form, ".sqz-right, .sqz-wrong").forEach(function (el) { el.classList.remove("sqz-right", "sqz-wrong", "sqz-missed", "sqz-picked"); });
      all(form, "input, .sqz-move button").forEach(function (i) {
        i.disabled = false;
        i.checked = false;
        if (i.type == "text") i.value = "";
      });
      delete form.dataset.passed;
      arrange();
      score.textContent = "";
      sent.hidden = true;
      check.hidden = false;
      retry.hidden = true;
      form.querySelector(".sqz-q input, .sqz-q button:not([disabled])").focus();
    });

    arrange();
    showBest();
  }

  // Read and understood (SPEC §5.4): per revision; a new revision asks again.
  function initAck(box) {
    if (!once(box, "data-sqz-ready")) return;
    var d = box.dataset, rev = revisionOf(box), button = box.querySelector("[data-sop-acknowledge]");
    var ask = box.querySelector("[data-sop-ack-ask]"), shown = box.querySelector("[data-sop-acknowledged]");
    var refresh = box.querySelector("[data-sop-ack-refresh]"), next = box.querySelector("[data-sqz-next]");
    box.querySelector(".sqz-nojs").hidden = true;
    box.querySelector("[data-sop-ack-rev]").textContent = rev;
    function show() {
      var a = loadAck(d.doc), current = a && a.rev == rev;
      ask.hidden = !!current;
      shown.hidden = !current;
      refresh.hidden = !a || !!current;
      if (current) {
        shown.setAttribute("data-sop-acknowledged", a.date);
        shown.textContent = "You acknowledged revision " + a.rev + " on " + a.date + ".";
      } else shown.removeAttribute("data-sop-acknowledged");
      if (a && !current) refresh.textContent = "This procedure changed after you acknowledged revision " + a.rev +
        " on " + a.date + ". Read it again and confirm.";
      if (next) {
        if (current) showNext(box);
        else next.hidden = true;
      }
    }
    button.addEventListener("click", function () {
      var a = { date: window.sopHub.today(), rev: rev }, kept = false;
      try {
        localStorage.setItem(ACK + d.doc, JSON.stringify(a));
        kept = true;
      } catch (e) { /* storage off or full: said below */ }
      show();
      if (!kept) {
        shown.hidden = false;
        shown.setAttribute("data-sop-acknowledged", a.date);
        shown.textContent = "You acknowledged revision " + rev + " on " + a.date + ", but this browser could not keep it.";
      }
      shown.tabIndex = -1;
      shown.focus();
      record({
        kind: "document", id: d.doc, title: d.title, pageRev: rev, page: d.page, pageTitle: d.title,
        tracks: d.tracks ? d.tracks.split(" ") : [], note: box.querySelector("[data-sqz-sent]")
      });
    });
    show();
  }

  function init() {
    all(document, "form.sqz[data-key]").forEach(initQuiz);
    all(document, "[data-sop-ack]").forEach(initAck);
    if (document.querySelector("[data-sqz-track], [data-sop-onboarding]")) window.sopHub.use("track");
    if (lrs() && (waiting() || document.querySelector("[data-sop-onboarding]"))) window.sopHub.use("lr");
  }
  // For track.js and lr.js, which load after this file.
  window.sopHubQuiz = { load: load, loadAck: loadAck, drop: drop, all: all, get: get, str: str, learner: learner, once: once, say: say, waits: waits, FULL: FULL, ACK: ACK };
  if (window.sopHub) window.sopHub.ready("quiz", init);
})();
