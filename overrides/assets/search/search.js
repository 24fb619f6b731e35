/* gongkai search page: query and filters live in the URL (?q=…&sort=date&year=…&scope=title&from=…&to=…),
 * every control is a link or a form field, so a search can be shared, the back
 * button works and the page is fully keyboard-operable. */
(function () {
  "use strict";
  var box = document.getElementById("gk-search");
  if (!box) return;
  var FACETS = [["year", "年份"], ["topic", "主题分类"], ["kind", "类型"], ["category", "目录"], ["agency", "发布机构"],
    ["status", "有效性"]];
  var siteRoot = new URL(box.dataset.root, location.href);
  var statusEl = document.getElementById("gk-search-status");
  var resultsEl = document.getElementById("gk-search-results");
  var sortEl = document.getElementById("gk-search-sort");
  var pagesEl = document.getElementById("gk-search-pages");
  var facetsEl = document.getElementById("gk-search-facets");
  var notesEl = document.getElementById("gk-search-notes");

  // the engine and the URL's query were started in <head> (boot.js)
  // Without an engine (an old browser: no fetch, or a script it cannot parse) the page keeps
  // the message its HTML shows until the engine starts (search.md.j2), with the query typed.
  var boot = window.gkSearchBoot || {}, engine = boot.engine, waiting = statusEl.innerHTML;
  if (!engine) {
    box.dataset.state = "error";
    return;
  }
  function stalled() {
    statusEl.innerHTML = waiting;
    box.dataset.state = "error";
  }
  var PAGE_SIZE = engine.PAGE;  // as boot.js, which fetched the shown page's entries ahead

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function state() {
    var p = new GongkaiSearch.Params(location.search);
    return { q: (p.get("q") || "").trim(), sort: p.get("sort") === "date" ? "date" : "rel",
      page: Math.max(1, parseInt(p.get("page"), 10) || 1),
      year: p.get("year"), category: p.get("category"), agency: p.get("agency"), status: p.get("status"),
      topic: p.get("topic"), kind: p.get("kind"), scope: p.get("scope") === "title" ? "title" : "all",
      from: dateParam(p.get("from")), to: dateParam(p.get("to")) };
  }

  // yyyy-mm-dd -> yyyymmdd (as the index stores dates), anything else -> null
  function dateParam(v) {
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
  }

  function pair(key, value) {
    var o = {};
    o[key] = value;
    return o;
  }

  function href(changes) {
    var p = new GongkaiSearch.Params(location.search);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] == null || changes[k] === "") p.delete(k); else p.set(k, changes[k]);
    });
    if (!("page" in changes)) p.delete("page");
    return "?" + p.toString();
  }

  // Characters of `text` covered by a query term (after the same NFKC/ASCII
  // folding the index used), wrapped in <mark>.
  function highlight(text, clauses) {
    var norm = Array.from(text).map(function (ch) { return GongkaiTokens.normalize(ch); });
    var flat = norm.join(""), owner = [], i;
    norm.forEach(function (s, k) { for (i = 0; i < s.length; i++) owner.push(k); });
    var marked = norm.map(function () { return false; });
    clauses.forEach(function (c) {
      var term = c.term, at = flat.indexOf(term);
      while (term && at >= 0) {
        for (i = at; i < at + term.length; i++) marked[owner[i]] = true;
        at = flat.indexOf(term, at + 1);
      }
    });
    var out = "", open = false;
    Array.from(text).forEach(function (ch, k) {
      if (marked[k] && !open) { out += "<mark>"; open = true; }
      if (!marked[k] && open) { out += "</mark>"; open = false; }
      out += esc(ch);
    });
    return out + (open ? "</mark>" : "");
  }

  // The part of summary + text around the first hit, so the snippet shows why it matched.
  function snippet(doc, clauses) {
    var text = (doc.summary ? doc.summary + " " : "") + doc.text, norm = GongkaiTokens.normalize(text);
    var first = -1;
    clauses.forEach(function (c) {
      var at = norm.indexOf(c.term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 30), piece = text.slice(start, start + 110);
    return (start > 0 ? "…" : "") + highlight(piece, clauses) + (start + 110 < text.length ? "…" : "");
  }

  function facetValue(meta, name, index) {
    var list = meta.facets[name];
    if (name === "year") return [String(list[index]), list[index] + "年"];
    if (name === "status" || name === "topic" || name === "kind") return [list[index], list[index]];
    return [list[index][0], list[index][1]];
  }

  function matchesFilters(meta, a, st) {
    if (st.from && a.date < +st.from.replace(/-/g, "")) return false;
    if (st.to && a.date > +st.to.replace(/-/g, "")) return false;
    return FACETS.every(function (f) {
      var want = st[f[0]];
      if (!want) return true;
      if (a[f[0]] < 0) return false;
      if (f[0] === "category") {  // a category filter keeps its sub-categories
        for (var c = a.category; c >= 0; c = meta.facets.category[c][2]) {
          if (meta.facets.category[c][0] === want) return true;
        }
        return false;
      }
      return facetValue(meta, f[0], a[f[0]])[0] === want;
    });
  }

  function renderFacets(meta, hits, attrs, st) {
    var html = "";
    FACETS.forEach(function (f) {
      var name = f[0], counts = new Map(), level = -1;
      if (name === "category" && st.category) {
        meta.facets.category.forEach(function (c, i) { if (c[0] === st.category) level = i; });
      }
      var others = {};
      Object.keys(st).forEach(function (k) { others[k] = st[k]; });
      if (name !== "category") others[name] = null;  // counts: what choosing each value would give
      hits.forEach(function (h) {
        var a = attrs.get(h.ref);
        if (!matchesFilters(meta, a, others) || a[name] < 0) return;
        var indices = [a[name]];
        if (name === "category") {  // drill down: the chosen category's children, or the roots
          indices = [];
          for (var c = a.category; c >= 0; c = meta.facets.category[c][2]) {
            var parent = meta.facets.category[c][2];
            if (parent === level || (c === level)) indices.push(c);
          }
        }
        indices.forEach(function (i) { counts.set(i, (counts.get(i) || 0) + 1); });
      });
      if (!counts.size) return;
      var order = Array.from(counts.keys()).sort(function (x, y) { return x - y; });
      html += '<section class="gk-facet"><h2>' + f[1] + "</h2><ul>";
      if (st[name]) html += '<li><a href="' + esc(href(pair(name, null))) + '">不限</a></li>';
      order.forEach(function (i) {
        var v = facetValue(meta, name, i), current = st[name] === v[0];
        html += "<li>" + (current
          ? '<a aria-current="true" class="gk-facet--on" href="' + esc(href(pair(name, null))) + '">'
          : '<a href="' + esc(href(pair(name, v[0]))) + '">') +
          esc(v[1]) + ' <span class="gk-count">(' + counts.get(i) + ")</span></a></li>";
      });
      html += "</ul></section>";
    });
    facetsEl.innerHTML = html;
  }

  // What a result is: its catalogue kind (政策文件 …), a page of the site (年报 …), or an item's attachment.
  function kindLabel(d) {
    return '<span class="gk-hit__kind">' + esc(d.kind) + "</span>" +
      (d.parent ? '<span class="gk-hit__parent">所属：' + esc(d.parent) + "</span>" : "");
  }

  function renderResults(docs, clauses) {
    resultsEl.innerHTML = docs.map(function (d) {
      var url = new URL(d.url, siteRoot).href;
      return '<li class="gk-hit" data-id="' + esc(d.id || d.url) + '"><p class="gk-hit__what">' + kindLabel(d) + "</p>" +
        '<h2 class="gk-hit__title"><a href="' + esc(url) + '">' + highlight(d.title, clauses) + "</a></h2>" +
        '<dl class="gk-hit__meta">' +
        (d.number ? "<dt>发文字号</dt><dd>" + highlight(d.number, clauses) + "</dd>" : "") +
        (d.agency ? "<dt>发布机构</dt><dd>" + esc(d.agency) + "</dd>" : "") +
        (d.date ? '<dt>发布日期</dt><dd><time datetime="' + esc(d.date) + '">' + esc(d.date) + "</time></dd>" : "") +
        (d.status ? '<dt>有效性</dt><dd class="' + (d.status === "有效" ? "" : "gk-status--invalid") + '">' +
          esc(d.status) + "</dd>" : "") +
        (d.id ? "<dt>索引号</dt><dd>" + esc(d.id) + "</dd>" : "") + "</dl>" +
        '<p class="gk-hit__snippet">' + snippet(d, clauses) + "</p></li>";
    }).join("");
  }

  function renderSort(st) {
    sortEl.innerHTML = "排序：" + (st.sort === "rel"
      ? '<strong aria-current="true">相关度</strong> · <a href="' + esc(href({ sort: "date" })) + '">发布日期</a>'
      : '<a href="' + esc(href({ sort: null })) + '">相关度</a> · <strong aria-current="true">发布日期</strong>');
  }

  function renderPages(st, total) {
    var pages = Math.ceil(total / PAGE_SIZE), html = "";
    if (pages <= 1) { pagesEl.innerHTML = ""; return; }
    if (st.page > 1) html += '<a rel="prev" href="' + esc(href({ page: st.page - 1 })) + '">上一页</a> ';
    html += "<span>第 " + st.page + " / " + pages + " 页</span>";
    if (st.page < pages) html += ' <a rel="next" href="' + esc(href({ page: st.page + 1 })) + '">下一页</a>';
    pagesEl.innerHTML = html;
  }

  // Terms to highlight: the query's own words and pairs, and the synonyms it also searched.
  function marks(plan) {
    var out = plan.boosts.filter(function (b) { return !b.weak; }).map(function (b) { return { term: b.term }; });
    plan.words.forEach(function (w) {
      if (!w.alts.some(function (a) { return a.pinyin; })) out.push({ term: w.text });
      w.alts.forEach(function (a) {
        if (a.label) out.push({ term: GongkaiTokens.normalize(a.label) });
        a.terms.forEach(function (t) { if (t.charAt(0) !== "#" && !a.pinyin) out.push({ term: t }); });
      });
    });
    return out;
  }

  function statusText(st, result, shown, total, filtered, ms) {
    if (!shown) {
      return "没有找到与“" + st.q + "”相符的公开信息" + (filtered ? "（已筛选）" : "") + "。请检查输入，或换用更短的词语。";
    }
    var count = (result.approximate ? "约 " : "") + shown;
    var head = result.mode === "partial" && !result.corrected ? "未找到完全匹配的结果，以下是部分匹配（共 " + count + " 条）" : "找到 " + count + " 条结果";
    return head + (filtered ? "（已筛选，共 " + total + " 条）" : "") + "，用时 " + ms + " 毫秒。";
  }

  function renderNotes(result, suggestion) {
    var html = "";
    var groups = {};
    result.plan.expansions.forEach(function (e) { (groups[e[0]] = groups[e[0]] || []).push(e[1]); });
    Object.keys(groups).forEach(function (w) {
      html += "<p>同时搜索了“" + esc(w) + "”的同义词：" + groups[w].map(function (s) { return "“" + esc(s) + "”"; }).join("、") + "。</p>";
    });
    if (result.plan.words.some(function (w) { return w.alts.some(function (a) { return a.pinyin; }); })) {
      html += "<p>已按拼音查找标题、机构和目录名称。</p>";
    }
    if (result.corrected) {
      html += '<p class="gk-search__dym">没有找到与“' + esc(state().q) + '”相符的信息，以下是“' + esc(result.corrected) +
        '”的结果。</p>';
    } else if (suggestion) {
      html += '<p class="gk-search__dym">您是不是要找：<a href="' + esc(href({ q: suggestion })) + '">' + esc(suggestion) + "</a></p>";
    }
    notesEl.innerHTML = html;
  }

  function show(st, meta, result, started, final) {
    var hits = result.hits, filtered = FACETS.some(function (f) { return st[f[0]]; }) || !!(st.from || st.to);
    var attrsPromise = null;
    function loadAttrs() {
      if (!attrsPromise) {
        attrsPromise = hits.length ? engine.attrs(hits.map(function (h) { return h.ref; })) : Promise.resolve(new Map());
      }
      return attrsPromise;
    }
    var needAttrs = filtered || st.sort === "date";
    // Unfiltered and by relevance, the first page needs no facet data: show it before the facets load.
    var shown = needAttrs ? loadAttrs().then(function (attrs) {
      var list = hits.filter(function (h) { return matchesFilters(meta, attrs.get(h.ref), st); });
      if (st.sort === "date") {
        list.sort(function (a, b) { return attrs.get(b.ref).date - attrs.get(a.ref).date || a.ref - b.ref; });
      }
      return list;
    }) : Promise.resolve(hits);
    var suggestion = result.mode === "partial" ? engine.didYouMean(st.q).catch(function () { return null; })
      : Promise.resolve(null);
    return Promise.all([shown, suggestion]).then(function (r) {
      var list = r[0], page = list.slice((st.page - 1) * PAGE_SIZE, st.page * PAGE_SIZE);
      return engine.docs(page.map(function (h) { return h.ref; })).then(function (docs) {
        renderResults(docs, marks(result.plan));
        renderSort(st);
        renderPages(st, list.length);
        renderNotes(result, r[1]);
        box.dataset.match = result.mode;
        statusEl.textContent = statusText(st, result, list.length, hits.length, filtered,
          Math.round(performance.now() - started));
        box.dataset.state = "results";
        if (!box.dataset.firstAt) {
          // for bench/search.py: when the first results showed, and what had loaded by then
          box.dataset.firstAt = Math.round(performance.now());
          box.dataset.firstResources = performance.getEntriesByType("resource").length;
        }
        if (!final) return null;
        return loadAttrs().then(function (attrs) {
          renderFacets(meta, hits, attrs, st);
          box.dataset.state = "done";
        });
      });
    });
  }

  function run() {
    var st = state(), started = performance.now();
    document.getElementById("gk-q").value = st.q;
    var scopeEl = document.getElementById("gk-scope-" + st.scope);
    if (scopeEl) scopeEl.checked = true;
    document.getElementById("gk-from").value = st.from || "";
    document.getElementById("gk-to").value = st.to || "";
    if (!st.q) { statusEl.textContent = "请输入要搜索的内容。"; box.dataset.state = "done"; return; }
    document.title = st.q + " - 站内搜索";
    statusEl.textContent = "正在搜索…";
    var first = boot.first, titleOnly = st.scope === "title";
    boot.first = null;  // a later search (none today) starts afresh
    var same = first && first.q === st.q && first.titleOnly === titleOnly;
    if (same) started = first.started;
    var searching = same ? first.result : engine.search(st.q, { titleOnly: titleOnly });
    Promise.all([engine.meta(), searching]).then(function (r) {
      var meta = r[0], result = r[1];
      if (!result.complete) return show(st, meta, result, started, true);
      // common pairs only: the first results come from the pairs' heads, then the whole lists
      return show(st, meta, result, started, false).then(function () {
        return result.complete();
      }).then(function (whole) { return show(st, meta, whole, started, true); });
    }).catch(function (err) {
      statusEl.textContent = "搜索暂时无法使用：" + err.message;
      box.dataset.state = "error";
    });
  }

  function start() {
    try {
      run();
    } catch (err) {  // a browser short of something the page needs: the message, not a blank page
      stalled();
      throw err;
    }
  }

  // As-you-type suggestions of hot words and titles (a small file, fetched on the first keystroke).
  var qEl = document.getElementById("gk-q"), listEl = document.getElementById("gk-suggest"), typed = 0;
  qEl.addEventListener("input", function () {
    var mine = ++typed, value = qEl.value;
    engine.suggest(value, 8).then(function (words) {
      if (mine !== typed) return;
      listEl.innerHTML = words.map(function (w) { return '<option value="' + esc(w) + '"></option>'; }).join("");
    }).catch(function () { listEl.innerHTML = ""; });
  });

  start();
})();
