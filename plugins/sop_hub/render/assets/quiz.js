/* SOP Hub quizzes and onboarding tracks. Checks answers in the browser and keeps each quiz's best
   result in localStorage ("sop-hub:quiz:<id>"), shared by every page that embeds the quiz.
   Does nothing on pages without a quiz or a track. */
(function () {
  "use strict";
  var KEY = "sop-hub:quiz:";

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
  function drop(id) {
    try {
      localStorage.removeItem(KEY + id);
    } catch (e) { /* nothing to clear */ }
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
  function node(tag, cls, text) {
    var el = document.createElement(tag);
    el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
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
    try {
      key = decode(d.key, d.quiz + ":" + d.rev);
    } catch (e) {
      return; // a damaged page: leave the questions readable, as with JavaScript off
    }
    // The page holds only the questions; the controls that need this script are made here.
    var qs = all(form, ".sqz-q"), best = node("p", "sqz-best"), actions = node("div", "sqz-actions");
    var check = actions.appendChild(node("button", "md-button md-button--primary", "Check answers"));
    var retry = actions.appendChild(node("button", "md-button", "Try again"));
    var score = node("div", "sqz-score");
    check.type = "submit";
    retry.type = "button";
    retry.hidden = true;
    score.setAttribute("role", "status");
    score.setAttribute("aria-live", "polite");
    score.tabIndex = -1;
    form.querySelector(".sqz-nojs").hidden = true;
    form.insertBefore(best, qs[0]);
    form.appendChild(actions);
    form.appendChild(score);
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

    function stale(r) { return r.quiz != d.rev || (r.url == d.page && r.page != d.pageRev); }
    function showBest() {
      var r = load(d.quiz);
      best.hidden = !r;
      if (r) best.textContent = "Your best result: " + r.pct + "% on " + r.date + (r.passed ? ", passed." : ", not passed.") +
        (stale(r) ? " This quiz or page has changed since; take it again to refresh." : "");
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

    form.addEventListener("click", function (e) {
      var b = e.target.closest("[data-move]");
      if (!b || b.disabled) return;
      var li = b.closest("li"), ol = li.parentNode, up = b.dataset.move == "-1";
      if (up) ol.insertBefore(li, li.previousElementSibling);
      else ol.insertBefore(li.nextElementSibling, li);
      ends(ol);
      (b.disabled ? li.querySelector('[data-move="' + (up ? 1 : -1) + '"]') : b).focus();
      var lis = all(ol, "li");
      score.textContent = li.querySelector(".sqz-item").textContent + ": position " + (lis.indexOf(li) + 1) + " of " + lis.length;
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
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
            if (i.checked && !good) {
              label.classList.add("sqz-wrong");
              label.appendChild(node("span", "sqz-tag sqz-added", "not right"));
            }
            if (!ok && good) {
              label.classList.add("sqz-right");
              label.appendChild(node("span", "sqz-tag sqz-added", "right answer"));
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
      var r = { pct: pct, score: right, total: total, passed: passed, date: today(), quiz: d.rev, page: d.pageRev, url: d.page };
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
    });

    retry.addEventListener("click", function () {
      qs.forEach(function (q) {
        q.classList.remove("sqz-ok", "sqz-no");
        delete q.dataset.result;
        q.querySelector(".sqz-out").hidden = true;
      });
      all(form, ".sqz-added").forEach(function (el) { el.remove(); });
      all(form, ".sqz-right, .sqz-wrong").forEach(function (el) { el.classList.remove("sqz-right", "sqz-wrong"); });
      all(form, "input, .sqz-move button").forEach(function (i) {
        i.disabled = false;
        i.checked = false;
        if (i.type == "text") i.value = "";
      });
      delete form.dataset.passed;
      arrange();
      score.textContent = "";
      check.hidden = false;
      retry.hidden = true;
      form.querySelector(".sqz-q input, .sqz-q button:not([disabled])").focus();
    });

    arrange();
    showBest();
  }

  function initTrack(box) {
    var items = all(box, "[data-sqz-item]"), progress = box.querySelector("progress");
    var count = box.querySelector("[data-sqz-count]"), done = box.querySelector("[data-sqz-complete]");
    if (!progress) return; // a track with no quizzes yet: nothing to count
    box.querySelector(".sqz-nojs").hidden = true;

    function status(item, r) {
      if (!r) return "none";
      var changed = r.quiz != item.dataset.rev || all(item, "[data-page]").some(function (a) {
        return a.dataset.page == r.url && a.dataset.pageRev != r.page;
      });
      return !r.passed ? "failed" : changed ? "refresh" : "passed";
    }
    function update() {
      var passed = 0, last = "";
      items.forEach(function (item) {
        var r = load(item.dataset.quiz), s = status(item, r);
        item.dataset.status = s;
        item.querySelector("[data-sqz-status]").textContent =
          s == "passed" ? "Passed on " + r.date
          : s == "failed" ? "Not passed, best score " + r.pct + "%"
          : s == "refresh" ? "Refresh needed: the quiz or its procedure changed after you passed on " + r.date
          : "Not started";
        if (s == "passed") {
          passed++;
          if (r.date > last) last = r.date;
        }
      });
      progress.value = passed;
      progress.textContent = count.textContent = passed + " of " + items.length + " quizzes passed";
      var complete = items.length > 0 && passed == items.length;
      box.dataset.complete = complete;
      done.hidden = !complete;
      done.querySelector("time").textContent = last;
      done.querySelector("time").dateTime = last;
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
        items.forEach(function (item) { drop(item.dataset.quiz); });
        update();
        close();
        live.textContent = "Your progress in this track was reset.";
      });
    }
    update();
  }

  function init() {
    all(document, "form.sqz[data-key]").forEach(initQuiz);
    all(document, "[data-sqz-track]").forEach(initTrack);
  }
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
