/* gongkai search engine: loads only the index files a query needs and scores
 * them exactly as lunr.js would score the whole index (see
 * hooks/gongkai/search/index.py). No DOM here: tests/js/run_queries.js runs it in Node.
 *
 * A query is a list of words (split at spaces), all required; a word is
 * found when one of its alternatives is: the word as a phrase (every character
 * pair of it), a name's exact token, a synonym from catalog/synonyms.yml, or
 * the Han words a typed pinyin string stands for. When no document holds every
 * word, the documents holding most of the query's pairs come back instead,
 * marked partial: a citizen never meets a dead end for a real word.
 *
 * Common pairs (in more than COMMON_DF documents, e.g. an agency's name) are
 * listed in their shard by count only. A word with a rarer pair leaves them
 * out (stop pairs); a word of common pairs only is answered from each pair's
 * head (its documents of highest weight) first, and `complete()` fetches the
 * whole lists afterwards for exact counts, facets and further pages. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GongkaiSearch = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // FNV-1a over UTF-8 bytes, as search/index.shard_of.
  function shardOf(term, shards) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  var NAME_MARK = "#";
  var MAX_TERMS = 48;  // a pasted paragraph: its first words already pin the documents down
  var PAGE = 10;
  var SYNONYM_BOOST = 0.5;
  var LATIN = /^[a-zA-Z\u00c0-\u024f\u0300-\u036f\s']+$/;

  function create(opts) {
    var tokens = opts.tokens, pinyin = opts.pinyin, fetchJson = opts.fetchJson;
    var cache = new Map(), metaPromise = null;

    function meta() {
      if (!metaPromise) {
        metaPromise = fetchJson("meta.json");
        metaPromise.catch(function () { metaPromise = null; });
      }
      return metaPromise;
    }

    function load(path) {
      if (!cache.has(path)) {
        // every file but meta.json sits under its version's folder (search/index.py): old and
        // new versions coexist during a deploy, so a search keeps the version it started with
        var p = meta().then(function (m) { return fetchJson(m.version + "/" + path); });
        p.catch(function () { cache.delete(path); });
        cache.set(path, p);
      }
      return cache.get(path);
    }

    function synonymsOf(m, word) {
      for (var i = 0; i < m.synonyms.length; i++) {
        var group = m.synonyms[i].map(tokens.normalize);
        if (group.indexOf(word) >= 0) return group.filter(function (w) { return w !== word; });
      }
      return [];
    }

    // What the query asks for: words, each with its alternatives (lists of terms, all required).
    function plan(m, query) {
      var text = tokens.normalize(query || "").trim(), words = [], expansions = [], boosts = [];
      if (LATIN.test(text) && pinyin) {
        var folded = pinyin.fold(text).replace(/[^a-z]/g, "");
        var alts = [];
        var literal = /^[a-z\s']+$/.test(text) ? tokens.words(text, false) : [];
        if (literal.length) alts.push({ terms: literal, label: null });
        pinyin.terms(folded).forEach(function (terms) {
          if (terms.join() !== literal.join()) alts.push({ terms: terms, label: null, pinyin: true });
          else alts[0].pinyin = true;  // fupin: the typed word is itself the pinyin token
        });
        if (alts.length) words.push({ text: text, alts: alts });
        return { words: words, expansions: expansions, boosts: boosts };
      }
      var found = tokens.specials(text), rest = [], pos = 0;
      found.forEach(function (s) {
        rest.push(text.slice(pos, s.start));
        pos = s.end;
        words.push({ text: text.slice(s.start, s.end), number: true, alts: [{ terms: [s.bare] }] });
        if (s.full !== s.bare) boosts.push({ term: s.full, boost: tokens.FULL_NUMBER_BOOST });
      });
      rest.push(text.slice(pos));
      rest.join(" ").split(/[\s,，、;；]+/).forEach(function (w) {
        if (!w) return;
        var phrase = tokens.words(w, false);
        if (!phrase.length) return;
        var word = { text: w, alts: [{ terms: phrase }] };
        if (m.names.indexOf(w) >= 0) word.alts.push({ terms: [NAME_MARK + w] });
        if (LATIN.test(w) && pinyin) {
          pinyin.terms(w).forEach(function (terms) { word.alts.push({ terms: terms, pinyin: true }); });
        }
        synonymsOf(m, w).forEach(function (s) {
          var terms = tokens.words(s, false);
          if (!terms.length) return;
          word.alts.push({ terms: terms, label: s });
          if (m.names.indexOf(s) >= 0) word.alts.push({ terms: [NAME_MARK + s] });
          expansions.push([w, s]);
        });
        words.push(word);
      });
      return { words: words, expansions: expansions, boosts: boosts };
    }

    // term -> {absent} | {entry} (postings at hand) | {file} (own file) | {common, df}
    function lookup(m, terms) {
      var shardIds = Array.from(new Set(terms.map(function (t) { return shardOf(t, m.shards); })));
      return Promise.all(shardIds.map(function (s) { return load("t/" + s + ".json"); })).then(function (shards) {
        var info = {};
        terms.forEach(function (t) {
          var e = shards[shardIds.indexOf(shardOf(t, m.shards))][t];
          if (e === undefined) info[t] = { absent: true };
          else if (typeof e === "number") info[t] = { file: e };
          else if (typeof e[1] === "number") info[t] = { common: true, index: e[0], df: e[1] };
          else info[t] = { entry: e };
        });
        return info;
      });
    }

    // Documents of a postings entry -> Map(doc -> [weight per field]); title-only keeps field 0.
    function decode(entry, fields) {
      var out = new Map();
      for (var f = 1; f < entry.length; f++) {
        if (fields && fields.indexOf(f - 1) < 0) continue;
        for (var j = 0, doc = 0; j < entry[f].length; j += 2) {
          doc += entry[f][j];
          var w = out.get(doc);
          if (!w) { w = []; out.set(doc, w); }
          w[f - 1] = entry[f][j + 1];
        }
      }
      return out;
    }

    // A query nothing matches, not even partly, is answered for the nearest
    // vocabulary word instead (a typo: 燃汽安全 -> 燃气安全), and says so.
    function search(query, options) {
      return searchAs(query, options).then(function (result) {
        if (result.mode !== "none" || (options && options.noCorrection)) return result;
        return didYouMean(query).then(function (word) {
          if (!word) return result;
          return searchAs(word, options).then(function (again) {
            if (again.mode === "none") return result;
            again.corrected = word;
            return again;
          });
        }, function () { return result; });
      });
    }

    function searchAs(query, options) {
      options = options || {};
      var fields = options.titleOnly ? [0] : null;
      return meta().then(function (m) {
        var p = plan(m, query);
        var terms = [];
        p.words.forEach(function (w) { w.alts.forEach(function (a) { a.terms.forEach(function (t) { terms.push(t); }); }); });
        p.boosts.forEach(function (b) { terms.push(b.term); });
        terms = Array.from(new Set(terms)).slice(0, MAX_TERMS);
        var empty = { plan: p, hits: [], mode: "none", approximate: false, terms: [], complete: null };
        if (!p.words.length) return empty;
        return lookup(m, terms).then(function (info) {
          return evaluate(m, p, info, fields, HEADS).then(function (result) {
            // too few documents in every head: the rarest common pair's whole list instead
            // (not when a pair of the word is in no document at all: whole lists cannot help then)
            if (result.approximate && result.widen && (result.mode !== "all" || result.hits.length < PAGE)) {
              return evaluate(m, p, info, fields, RAREST).then(function (wider) {
                var better = wider.mode === "all" || (result.mode === "none" && wider.mode === "partial") ||
                  (wider.mode === result.mode && wider.hits.length > result.hits.length);
                return better ? wider : result;
              });
            }
            return result;
          }).then(function (result) {
            if (result.approximate) {
              result.complete = function () { return evaluate(m, p, info, fields, WHOLE); };
            }
            return result;
          });
        });
      });
    }

    // The postings each term of the query needs, then the ranked documents.
    var HEADS = 0, RAREST = 1, WHOLE = 2;

    function evaluate(m, p, info, fields, level) {
      var whole = level === WHOLE;
      var need = {}, approximate = false, stopped = new Set();
      p.words.forEach(function (w) {
        w.alts.forEach(function (a) {
          var known = a.terms.filter(function (t) { return info[t] && !info[t].absent; });
          a.dead = known.length < a.terms.length;
          var rare = known.filter(function (t) { return !info[t].common; });
          a.use = rare.length ? rare : known;  // common pairs beside a rarer one: stop pairs
          if (!rare.length && level === RAREST && known.length) {
            a.use = [known.reduce(function (x, y) { return info[y].df < info[x].df ? y : x; })];
          }
          a.heads = !rare.length && level === HEADS;
          if (!rare.length && !whole && known.length) approximate = true;
          // a partial match counts every pair of the word, so a dead alternative's pairs load too
          known.forEach(function (t) {
            if (a.use.indexOf(t) >= 0 || !info[t].common) need[t] = a.heads && info[t].common ? "h" : "p";
            else stopped.add(t);
          });
        });
      });
      p.boosts.forEach(function (b) {
        var i = info[b.term];
        if (i && !i.absent && !i.common) need[b.term] = "p";
      });
      var names = Object.keys(need);
      return Promise.all(names.map(function (t) {
        var i = info[t];
        if (i.entry) return i.entry;
        return load((need[t] === "h" ? "h/" : "p/") + (i.common ? i.index : i.file) + ".json");
      })).then(function (entries) {
        var postings = {}, index = {};
        names.forEach(function (t, k) { postings[t] = decode(entries[k], fields); index[t] = entries[k][0]; });
        names.forEach(function (t) { stopped.delete(t); });
        var result = rank(p, postings, index, approximate, stopped);
        result.widen = p.words.some(function (w) { return w.alts.some(function (a) { return a.heads && !a.dead; }); });
        return result;
      });
    }

    function altDocs(a, postings) {
      if (a.dead || !a.use.length) return null;
      var lists = a.use.map(function (t) { return postings[t]; });
      lists.sort(function (x, y) { return x.size - y.size; });
      var out = new Set();
      lists[0].forEach(function (_, d) {
        for (var i = 1; i < lists.length; i++) if (!lists[i].has(d)) return;
        out.add(d);
      });
      return out;
    }

    // lunr's score: per field, dot(query vector, field vector) / |query vector|, summed over fields.
    function scorer(terms, postings, index, boosts) {
      terms = terms.filter(function (t) { return postings[t]; });
      terms.sort(function (a, b) { return index[a] - index[b]; });
      var norm = Math.sqrt(terms.reduce(function (s, t) { return s + boosts[t] * boosts[t]; }, 0)) || 1;
      return function (doc) {
        var score = 0;
        for (var f = 0; f < 16; f++) {
          var dot = 0, any = false;
          for (var i = 0; i < terms.length; i++) {
            var w = postings[terms[i]].get(doc);
            if (w && w[f] !== undefined) { dot += boosts[terms[i]] * (w[f] / 1000); any = true; }
          }
          if (any) score += dot / norm;
        }
        return score;
      };
    }

    function rank(p, postings, index, approximate, stopped) {
      var boosts = {}, scored = [];
      // a synonym's own pairs count half: a document with the word typed ranks first
      p.words.forEach(function (w) {
        w.alts.forEach(function (a) {
          if (a.dead) return;
          a.use.forEach(function (t) {
            var b = a.label ? SYNONYM_BOOST : 1;
            if (!(t in boosts)) { boosts[t] = b; scored.push(t); } else if (b > boosts[t]) boosts[t] = b;
          });
        });
      });
      p.boosts.forEach(function (b) { if (postings[b.term]) { boosts[b.term] = b.boost; scored.push(b.term); } });
      // documents holding every word (a word: any of its alternatives)
      var full = null;
      p.words.forEach(function (w) {
        var docs = new Set();
        w.alts.forEach(function (a) { var d = altDocs(a, postings); if (d) d.forEach(function (x) { docs.add(x); }); });
        if (full === null) full = docs;
        else { var keep = new Set(); full.forEach(function (d) { if (docs.has(d)) keep.add(d); }); full = keep; }
      });
      var score = scorer(scored, postings, index, boosts);
      var hits, mode = "all";
      if (full && full.size) {
        hits = Array.from(full, function (d) { return { ref: d, score: round(score(d)) }; });
      } else {
        hits = partial(p, postings, index, stopped);
        mode = hits.length ? "partial" : "none";
      }
      hits.sort(function (a, b) { return (b.held || 0) - (a.held || 0) || b.score - a.score || a.ref - b.ref; });
      // the terms a lunr query over the whole index would need for the same result (tests)
      var exact = mode === "all" && !approximate && p.words.every(function (w) {
        return w.alts.length === 1 && w.alts[0].use.length === w.alts[0].terms.length;
      });
      return { plan: p, hits: hits, mode: mode, approximate: approximate,
        terms: exact ? scored.map(function (t) {
          return { term: t, boost: boosts[t], required: !p.boosts.some(function (b) { return b.term === t; }) };
        }) : null, complete: null };
    }

    // No document holds every word: rank those holding most of the query's pairs,
    // at least half of them. A 发文字号 or 索引号 is exact: never partly matched.
    function partial(p, postings, index, stopped) {
      if (p.words.some(function (w) { return w.number; })) return [];
      var pairs = [];  // stop pairs left out: every document that matters holds them
      p.words.forEach(function (w) {
        w.alts[0].terms.forEach(function (t) { if (pairs.indexOf(t) < 0 && !stopped.has(t)) pairs.push(t); });
      });
      var present = pairs.filter(function (t) { return postings[t]; });
      var needed = Math.max(1, Math.ceil(pairs.length / 2));
      if (pairs.length < 2 || present.length < needed) return [];
      var held = new Map();
      present.forEach(function (t) { postings[t].forEach(function (_, d) { held.set(d, (held.get(d) || 0) + 1); }); });
      var boosts = {};
      present.forEach(function (t) { boosts[t] = 1; });
      var score = scorer(present, postings, index, boosts), out = [];
      held.forEach(function (n, d) { if (n >= needed) out.push({ ref: d, score: round(score(d)), held: n }); });
      return out;
    }

    function round(x) { return Math.round(x * 1e9) / 1e9; }

    function block(kind, size, refs) {
      var blocks = Array.from(new Set(refs.map(function (r) { return Math.floor(r / size); })));
      return Promise.all(blocks.map(function (b) { return load(kind + "/" + b + ".json"); })).then(function (loaded) {
        var byBlock = {};
        blocks.forEach(function (b, i) { byBlock[b] = loaded[i]; });
        return function (r) { return [byBlock[Math.floor(r / size)], r % size]; };
      });
    }

    // Result entries by document number.
    function docs(refs) {
      return meta().then(function (m) {
        return block("d", m.docBlock, refs).then(function (at) {
          return refs.map(function (r) {
            var x = at(r), e = x[0][x[1]];
            return { ref: r, title: e[0], number: e[1], id: e[2], url: e[3], agency: e[4], date: e[5],
              status: e[6], summary: e[7], text: e[8], kind: e[9], parent: e[10] };
          });
        });
      });
    }

    // Facet attributes (indices into meta.facets; -1: none) by document number.
    function attrs(refs) {
      return meta().then(function (m) {
        return block("a", m.attrBlock, refs).then(function (at) {
          var out = new Map();
          refs.forEach(function (r) {
            var x = at(r), a = x[0], k = x[1];
            out.set(r, { agency: a.agency[k], category: a.category[k], status: a.status[k], year: a.year[k],
              topic: a.topic[k], kind: a.kind[k], date: a.date[k] });
          });
          return out;
        });
      });
    }

    // "您是不是要找": the vocabulary word nearest the query (edit distance 1, or 2 for longer words).
    function didYouMean(query) {
      var q = tokens.normalize(query || "").replace(/\s+/g, "");
      var chars = Array.from(q);
      if (chars.length < 2 || chars.length > 20) return Promise.resolve(null);
      return load("v.json").then(function (words) {
        var limit = chars.length >= 5 ? 2 : 1, best = null, bestD = limit + 1;
        for (var i = 0; i < words.length; i++) {
          var w = Array.from(words[i]);
          if (Math.abs(w.length - chars.length) > limit || words[i] === q) continue;
          var d = distance(chars, w, bestD);
          if (d < bestD) { best = words[i]; bestD = d; }
        }
        return best;
      });
    }

    function distance(a, b, cap) {
      var prev = [], cur, i, j;
      for (j = 0; j <= b.length; j++) prev[j] = j;
      for (i = 1; i <= a.length; i++) {
        cur = [i];
        var low = i;
        for (j = 1; j <= b.length; j++) {
          cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (cur[j] < low) low = cur[j];
        }
        if (low >= cap) return cap;
        prev = cur;
      }
      return prev[b.length];
    }

    // As-you-type: hot words and titles starting with (then containing) what was typed.
    function suggest(prefix, limit) {
      var q = tokens.normalize(prefix || "").trim();
      if (!q) return Promise.resolve([]);
      return load("s.json").then(function (list) {
        var starts = [], holds = [];
        for (var i = 0; i < list.length && starts.length < (limit || 8); i++) {
          var n = tokens.normalize(list[i]);
          if (n.indexOf(q) === 0) starts.push(list[i]);
          else if (holds.length < (limit || 8) && n.indexOf(q) > 0) holds.push(list[i]);
        }
        return starts.concat(holds).slice(0, limit || 8);
      });
    }

    return { meta: meta, search: search, docs: docs, attrs: attrs, didYouMean: didYouMean, suggest: suggest,
      PAGE: PAGE };
  }

  return { create: create, shardOf: shardOf };
});
