/* gongkai search, started from <head> (overrides/main.html): the engine and the
 * query of the page's URL begin fetching index files while the browser is still
 * loading the page's stylesheets, fonts and theme scripts, so the rounds of
 * index fetches (meta.json, term shards, postings, result entries) overlap the
 * page load instead of following it. search.js, at the end of the page, takes
 * over the engine and this first answer. */
(function () {
  "use strict";
  var boot = window.gkSearchBoot;
  if (!boot || !window.GongkaiSearch || !window.fetch || !window.Promise) return;
  var indexBase = new URL(boot.index, location.href);

  boot.engine = GongkaiSearch.create({
    tokens: GongkaiTokens, pinyin: GongkaiPinyin,
    fetchJson: function (path) {
      // meta.json was requested at the top of <head> already: take that answer, once
      var early = window.gkEarlyFetch;
      if (early && early.path === path) window.gkEarlyFetch = null;
      else early = null;
      return (early ? early.request : fetch(new URL(path, indexBase), path === "meta.json" ? { cache: "no-cache" } : {}))
        .then(function (r) {
          if (!r.ok) throw new Error(path + ": HTTP " + r.status);
          return r.json();
        });
    }
  });

  var params = new GongkaiSearch.Params(location.search), q = (params.get("q") || "").trim();
  if (!q) return;
  var titleOnly = params.get("scope") === "title";
  var started = performance.now(), result = boot.engine.search(q, { titleOnly: titleOnly });
  boot.first = { q: q, titleOnly: titleOnly, result: result, started: started };
  function ignore() { return null; }
  result.catch(ignore);
  // what search.js will ask for next: the shown page's entries, or (filtered, by date) every hit's attributes
  var filtered = params.get("sort") === "date" ||
    ["year", "topic", "kind", "category", "agency", "status", "from", "to"].some(function (k) { return params.get(k); });
  var page = Math.max(1, parseInt(params.get("page"), 10) || 1), size = boot.engine.PAGE;
  result.then(function (r) {
    var refs = r.hits.map(function (h) { return h.ref; });
    if (filtered) boot.engine.attrs(refs).catch(ignore);
    else if (refs.length) boot.engine.docs(refs.slice((page - 1) * size, page * size)).catch(ignore);
    if (r.mode === "partial") boot.engine.didYouMean(q).catch(ignore);
  }, ignore);
})();
