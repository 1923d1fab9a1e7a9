/* SOP Hub search tier: answers ids, titles, owners, processes and stages at once, inside
 * Material's own search box and result list, while Material's full-text index loads behind it.
 *
 * Loaded in <head>, before Material's bundle, because it does two things before Material starts:
 * 1. It holds Material's request for search/search_index.json (megabytes at thousands of SOPs)
 *    until the reader opens search and the tier has answered once (or the tier fails), so the
 *    first result needs only sop-hub/search-tier.json (~100 bytes a document, ~15 gzipped:
 *    it is fetched as search-tier.json.gz and inflated here).
 * 2. It listens on Material's `.md-search__input` and puts its hits at the top of Material's
 *    `.md-search-result__list`, in Material's markup (so they look native, arrow keys and Enter
 *    work), and hides Material's own result for the same page.
 * Ranking (SPEC §4): its own id (any case, with or without separators, leading zeros of its
 * numbers optional; see idRank) > id prefix or part >
 * exact title > title words > owner > backup > process or stage; retired documents below active
 * ones except for their exact id. Every value is set as text: data is never code.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.XMLHttpRequest) return;
  var base = new URL("../../", script.src); // the script is at <site>/assets/sop-hub/
  var TIER_URL = new URL("sop-hub/search-tier.json", base);
  var LIMIT = 20; // hits shown from the tier; Material's results follow
  var RELEASE_AFTER_MS = 1500; // search open this long with no query: load the full index anyway

  // -- 1. hold Material's full-text index ---------------------------------------------------
  var held = [];
  var released = false;
  var proto = XMLHttpRequest.prototype;
  var open = proto.open;
  var send = proto.send;
  proto.open = function (method, url) {
    this.sopFullIndex = /\/search\/search_index\.json(?:[?#]|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (this.sopFullIndex && !released) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };
  function release() {
    if (released) return;
    released = true;
    var waiting = held;
    held = [];
    waiting.forEach(function (entry) {
      send.apply(entry[0], entry[1]);
    });
  }
  window.sopHubSearch = { release: release }; // for tests and benchmarks

  // -- 2. the tier ----------------------------------------------------------------------------
  var docs = null; // [{id, title, url, group, owner, backup, state, replaced, keys...}]
  var loading = null;

  function fold(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }
  function compact(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "");
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function unpack(data) {
    var out = [];
    (data.docs || []).forEach(function (row, order) {
      var at = function (table, i) {
        return typeof i === "number" && i >= 0 && table && i < table.length ? String(table[i]) : "";
      };
      var doc = {
        id: String(row[0] || ""),
        title: String(row[1] || ""),
        url: at(data.dirs, row[2] || 0) + String(row[3] || ""),
        group: at(data.groups, row.length > 4 ? row[4] : -1),
        owner: at(data.people, row.length > 5 ? row[5] : -1),
        backup: at(data.people, row.length > 6 ? row[6] : -1),
        state: row.length > 7 ? row[7] : 0,
        replaced: row.length > 8 ? String(row[8] || "") : "",
        order: order,
      };
      doc.kid = compact(doc.id);
      doc.tid = tokens(doc.id);
      doc.zt = unpadded(doc.tid);
      doc.zid = doc.zt.replace(/-/g, "");
      doc.ktitle = compact(doc.title);
      doc.wtitle = words(doc.title);
      doc.wowner = words(doc.owner);
      doc.wbackup = words(doc.backup);
      doc.wgroup = words(doc.group);
      out.push(doc);
    });
    return out;
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.arrayBuffer();
    });
  }
  // The tier travels gzipped (a seventh of the bytes, on any web server) and is inflated here. A
  // server that decoded it already (Content-Encoding) hands over plain JSON, read as it is; a
  // browser without DecompressionStream, or a missing .gz, gets the plain file.
  function fetchTier() {
    var plain = function () {
      return get(TIER_URL.href).then(parse);
    };
    if (!window.DecompressionStream) return plain();
    return get(TIER_URL.href + ".gz")
      .then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return parse(buffer);
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(parse);
      })
      .catch(plain);
  }
  function parse(buffer) {
    return JSON.parse(new TextDecoder().decode(buffer));
  }

  function load() {
    if (!loading) {
      loading = fetchTier()
        .then(function (data) {
          docs = unpack(data);
          return docs;
        })
        .catch(function () {
          docs = [];
          release(); // no tier: Material's search as it was
          return docs;
        });
    }
    return loading;
  }

  // Every query word starts some word of the field.
  function allPrefix(query, field) {
    if (!query.length || !field.length) return false;
    return query.every(function (q) {
      return field.some(function (w) {
        return w.indexOf(q) === 0;
      });
    });
  }

  // An id as its words joined by "-", whatever separators were typed: "SOP QC_003" -> "sop-qc-003".
  function tokens(text) {
    return words(text).join("-");
  }
  // Each number of an id without its leading zeros: "lab-01-003" -> "lab-1-3".
  function unpadded(tokened) {
    return tokened.replace(/(^|[^0-9])0+(?=[0-9])/g, "$1");
  }

  // Its own id, best first: as written (any case, any separators); without leading zeros; with
  // no separators at all; neither. "QC-1-2" so finds QC-01-2 before QC-12, and "QC12" QC-12.
  function idRank(doc, q) {
    if (q.tokens === doc.tid) return 0;
    if (q.unpadded === doc.zt) return 0.25;
    if (q.compact === doc.kid) return 0.5;
    if (q.unpaddedCompact === doc.zid) return 0.75;
    return -1;
  }

  function rankOf(doc, compactQuery, queryWords, hasDigit, q) {
    var own = idRank(doc, q);
    if (own >= 0) return own;
    if (hasDigit && compactQuery.length >= 2 && doc.kid.indexOf(compactQuery) === 0) return 1;
    if (hasDigit && compactQuery.length >= 3 && doc.kid.indexOf(compactQuery) > 0) return 2;
    if (compactQuery === doc.ktitle) return 3;
    if (allPrefix(queryWords, doc.wtitle)) return 4;
    if (allPrefix(queryWords, doc.wowner)) return 5;
    if (allPrefix(queryWords, doc.wbackup)) return 6;
    if (allPrefix(queryWords, doc.wgroup)) return 7;
    return -1;
  }

  function search(value) {
    var compactQuery = compact(value);
    var queryWords = words(value);
    if (!docs || !compactQuery) return [];
    var hasDigit = /[0-9]/.test(compactQuery);
    var q = { tokens: tokens(value), compact: compactQuery };
    q.unpadded = unpadded(q.tokens);
    q.unpaddedCompact = q.unpadded.replace(/-/g, "");
    var hits = [];
    docs.forEach(function (doc) {
      var rank = rankOf(doc, compactQuery, queryWords, hasDigit, q);
      if (rank < 0) return;
      var retired = doc.state === 2 && rank >= 1 ? 1 : 0; // below active, except for its own id
      hits.push({ doc: doc, key: [retired, rank, doc.order] });
    });
    hits.sort(function (a, b) {
      for (var i = 0; i < 3; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return 0;
    });
    return hits.slice(0, LIMIT).map(function (hit) {
      return hit.doc;
    });
  }

  // -- 3. rendering into Material's result list -------------------------------------------------
  var current = []; // the <li> elements of the tier's hits for the current query
  var currentPaths = {};

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function pathOf(href) {
    try {
      var path = new URL(href, document.baseURI).pathname;
      return path.replace(/index\.html$/, "");
    } catch (error) {
      return "";
    }
  }

  function item(doc, index) {
    var li = element("li", "md-search-result__item");
    li.setAttribute("data-sop-tier", doc.id);
    var link = element("a", "md-search-result__link");
    link.href = new URL(doc.url, base).href;
    link.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset");
    // Material's Enter follows the highest score: the tier's first hit.
    article.setAttribute("data-md-score", String(100000 - index));
    article.appendChild(element("div", "md-search-result__icon md-icon"));
    article.appendChild(element("h1", "", doc.id && doc.id !== doc.title ? doc.id + " · " + doc.title : doc.title));
    var facts = [];
    if (doc.state === 2) {
      facts.push(doc.replaced ? "Retired; replaced by " + doc.replaced : "Retired");
    } else if (doc.state === 1) {
      facts.push("Draft");
    }
    if (doc.group) facts.push(doc.group);
    if (doc.owner) facts.push("Owner: " + doc.owner);
    if (doc.backup) facts.push("Backup: " + doc.backup);
    if (facts.length) article.appendChild(element("p", doc.state === 2 ? "sop-search-retired" : "", facts.join(" · ")));
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function listElement() {
    return document.querySelector(".md-search-result__list");
  }

  function place() {
    var list = listElement();
    if (!list) return;
    observer.disconnect();
    var before = list.firstChild;
    current.forEach(function (li) {
      if (li !== before) list.insertBefore(li, before);
      else before = li.nextSibling;
    });
    // Material's result for a page the tier already shows goes (it renders afresh on every
    // query); removed, not hidden, so arrow keys never land on an invisible link.
    Array.prototype.slice.call(list.children).forEach(function (li) {
      if (li.hasAttribute("data-sop-tier")) return;
      var link = li.querySelector("a[href]");
      if (link && currentPaths[pathOf(link.getAttribute("href"))] === true) list.removeChild(li);
    });
    observer.observe(list, { childList: true });
  }

  var observer = new MutationObserver(function () {
    place();
  });

  function show(value) {
    var list = listElement();
    if (!list) return;
    current.forEach(function (li) {
      if (li.parentNode) li.parentNode.removeChild(li);
    });
    var hits = search(value);
    current = hits.map(item);
    currentPaths = {};
    hits.forEach(function (doc) {
      currentPaths[pathOf(new URL(doc.url, base).href)] = true;
    });
    place();
    if (hits.length) {
      var meta = document.querySelector(".md-search-result__meta");
      if (meta && !released) meta.textContent = hits.length === 1 ? "1 matching document" : hits.length + " matching documents";
    }
    // Answered (with hits or none, when only the full text can find it): now Material may load
    // its full-text index, at once rather than after RELEASE_AFTER_MS.
    release();
  }

  var releaseTimer = 0;
  function opened() {
    load();
    if (!released && !releaseTimer) releaseTimer = window.setTimeout(release, RELEASE_AFTER_MS);
  }

  function isQuery(target) {
    return !!target && target.classList && target.classList.contains("md-search__input");
  }

  document.addEventListener(
    "focusin",
    function (event) {
      if (isQuery(event.target)) opened();
    },
    true
  );
  document.addEventListener(
    "input",
    function (event) {
      if (!isQuery(event.target)) return;
      var value = event.target.value;
      opened();
      if (releaseTimer) {
        window.clearTimeout(releaseTimer); // typing: the tier answers first
        releaseTimer = window.setTimeout(release, RELEASE_AFTER_MS);
      }
      load().then(function () {
        if (event.target.value === value) show(value);
      });
    },
    true
  );
})();
