/* gongkai search engine: loads only the index shards a query needs and lets
 * lunr.js score them (see hooks/gongkai/search_index.py for why that gives the
 * whole index's scores). No DOM here: tests/js/relevance.js runs it in Node. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GongkaiSearch = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // FNV-1a over UTF-8 bytes, as search_index.shard_of.
  function shardOf(term, shards) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function create(opts) {
    var lunr = opts.lunr, tokens = opts.tokens, fetchJson = opts.fetchJson;
    var cache = new Map(), metaPromise = null;

    function load(path) {
      if (!cache.has(path)) {
        var p = metaPromise.then(function (meta) { return fetchJson(path + "?v=" + meta.version); });
        p.catch(function () { cache.delete(path); });
        cache.set(path, p);
      }
      return cache.get(path);
    }

    function meta() {
      if (!metaPromise) {
        metaPromise = fetchJson("meta.json");
        metaPromise.catch(function () { metaPromise = null; });
      }
      return metaPromise;
    }

    // Documents holding every required term, in any field: the only ones lunr
    // can return. Leaving the others out changes no score (a document's score
    // depends on its own field vectors only) and spares lunr most of the work
    // when a query's terms are common, e.g. an agency's name.
    function candidates(clauses, byTerm) {
      var sets = [];
      clauses.forEach(function (c) {
        if (!c.required) return;
        var entry = byTerm[c.term], docs = new Set();
        if (entry) {
          for (var f = 1; f < entry.length; f++) {
            for (var j = 0, doc = 0; j < entry[f].length; j += 2) { doc += entry[f][j]; docs.add(doc); }
          }
        }
        sets.push(docs);
      });
      sets.sort(function (a, b) { return a.size - b.size; });
      return sets.reduce(function (acc, docs) {
        var out = new Set();
        acc.forEach(function (d) { if (docs.has(d)) out.add(d); });
        return out;
      });
    }

    // A lunr index holding just the query's terms, with their global term
    // indices and weights, in lunr's serialized form.
    function miniIndex(meta, clauses, byTerm) {
      var fields = meta.fields, inverted = [], vectors = new Map(), keep = candidates(clauses, byTerm);
      var terms = Array.from(new Set(clauses.map(function (c) { return c.term; }))).sort();
      terms.forEach(function (term) {
        var entry = byTerm[term];
        if (!entry) return;
        var posting = { _index: entry[0] };
        fields.forEach(function (field, fi) {
          var flat = entry[fi + 1], docs = {}, doc = 0;
          for (var j = 0; j < flat.length; j += 2) {
            doc += flat[j];
            if (!keep.has(doc)) continue;
            docs[doc] = {};
            var ref = field + "/" + doc;
            if (!vectors.has(ref)) vectors.set(ref, []);
            vectors.get(ref).push([entry[0], flat[j + 1] / 1000]);
          }
          posting[field] = docs;
        });
        inverted.push([term, posting]);
      });
      var fieldVectors = [];
      vectors.forEach(function (pairs, ref) {
        pairs.sort(function (a, b) { return a[0] - b[0]; });
        var flat = [];
        pairs.forEach(function (p) { flat.push(p[0], p[1]); });
        fieldVectors.push([ref, flat]);
      });
      return lunr.Index.load({ version: lunr.version, fields: fields, fieldVectors: fieldVectors,
        invertedIndex: inverted, pipeline: [] });
    }

    // A pasted paragraph would ask for hundreds of shards; its first terms
    // already pin the documents down (all terms are required).
    var MAX_TERMS = 32;

    function search(query) {
      var clauses = tokens.queryClauses(query || "").slice(0, MAX_TERMS);
      return meta().then(function (m) {
        if (!clauses.some(function (c) { return c.required; })) return { clauses: clauses, hits: [] };
        var shardIds = Array.from(new Set(clauses.map(function (c) { return shardOf(c.term, m.shards); })));
        return Promise.all(shardIds.map(function (s) { return load("t/" + s + ".json"); })).then(function (loaded) {
          var byTerm = {}, separate = [];
          loaded.forEach(function (shard) {
            clauses.forEach(function (c) {
              var entry = shard[c.term];
              if (typeof entry === "number") separate.push([c.term, entry]);  // postings in a file of their own
              else if (entry) byTerm[c.term] = entry;
            });
          });
          return Promise.all(separate.map(function (s) { return load("p/" + s[1] + ".json"); })).then(function (lists) {
            separate.forEach(function (s, i) { byTerm[s[0]] = lists[i]; });
            return byTerm;
          });
        }).then(function (byTerm) {
          var idx = miniIndex(m, clauses, byTerm);
          var results = idx.query(function (q) {
            clauses.forEach(function (c) {
              q.term(c.term, { boost: c.boost, usePipeline: false, wildcard: lunr.Query.wildcard.NONE,
                presence: c.required ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL });
            });
          });
          var hits = results.map(function (r) { return { ref: +r.ref, score: r.score }; });
          hits.sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
          return { clauses: clauses, hits: hits };
        });
      });
    }

    // Result entries (title, numbers, agency, date, status, summary, text) by doc number.
    function docs(refs) {
      return meta().then(function (m) {
        var blocks = Array.from(new Set(refs.map(function (r) { return Math.floor(r / m.docBlock); })));
        return Promise.all(blocks.map(function (b) { return load("d/" + b + ".json"); })).then(function (loaded) {
          var byBlock = {};
          blocks.forEach(function (b, i) { byBlock[b] = loaded[i]; });
          return refs.map(function (r) {
            var e = byBlock[Math.floor(r / m.docBlock)][r % m.docBlock];
            return { ref: r, title: e[0], number: e[1], id: e[2], url: e[3], agency: e[4], date: e[5],
              status: e[6], summary: e[7], text: e[8] };
          });
        });
      });
    }

    // Facet attributes (indices into meta.facets) by doc number.
    function attrs(refs) {
      return meta().then(function (m) {
        var blocks = Array.from(new Set(refs.map(function (r) { return Math.floor(r / m.attrBlock); })));
        return Promise.all(blocks.map(function (b) { return load("a/" + b + ".json"); })).then(function (loaded) {
          var byBlock = {};
          blocks.forEach(function (b, i) { byBlock[b] = loaded[i]; });
          var out = new Map();
          refs.forEach(function (r) {
            var a = byBlock[Math.floor(r / m.attrBlock)], k = r % m.attrBlock;
            out.set(r, { agency: a.agency[k], category: a.category[k], status: a.status[k], year: a.year[k] });
          });
          return out;
        });
      });
    }

    return { meta: meta, search: search, docs: docs, attrs: attrs };
  }

  return { create: create, shardOf: shardOf };
});
