/* gongkai search engine: loads only the index files a query needs and scores
 * them exactly as lunr.js would score the whole index (see
 * hooks/gongkai/search/index.py). No DOM here: tests/js/run_queries.js runs it in Node.
 *
 * A query is a list of words (split at spaces, and a typed run at question and
 * function words such as 怎么/申请, which only weigh a little, and at the site's
 * names and synonyms), all required; a word is
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
  // a year typed (2025年…年报) tells that year's report from the list of every year's
  var YEAR = /^(19|20)[0-9]{2}$/, YEAR_BOOST = 3;
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

    // Question and function words: a citizen types 低保怎么申请 as one run. QUESTION words only
    // weigh a little (optional terms); WEAK words (verbs of every request) too, unless nothing
    // else is left. Longest first, so 怎么办 is one word, not 怎么 + 办.
    var QUESTION = ("怎么样 怎么办 怎么 怎样 如何 哪里 哪儿 在哪里 在哪儿 在哪 去哪里 去哪儿 去哪 到哪里 哪些 哪个 " +
      "什么 是什么 有什么 有哪些 为什么 多少钱 是多少 要多少 多少 多久 多长时间 几天 是否 能否 能不能 可不可以 " +
      "有没有 是不是 找谁 请问 我想 我要 我们 我家 我的 一下 什么时候 几时 怎么做 交多少钱 交多少 在哪看 哪里看 " +
      "吗 呢 吧 啊 呀 嘛 的 了 么").split(" ");
    var WEAK = ("办理 申请 申领 查询 查看 查到 了解 可以 需要 怎么查 在线 网上 流程 手续").split(" ");
    var QUESTION_BOOST = 0.2, WEAK_BOOST = 0.5, SEAM_BOOST = 0.3;
    var HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff]/;

    function longestAt(text, i, list) {
      var best = "";
      for (var k = 0; k < list.length; k++) {
        var w = list[k];
        if (w.length > best.length && text.substr(i, w.length) === w) best = w;
      }
      return best;
    }

    // A typed run in pieces: known words (names, synonyms), question/weak words, the rest.
    function pieces(m, w, known) {
      if (!HAN.test(w) || known.indexOf(w) >= 0) return [{ text: w }];
      var out = [], plain = "";
      function flush() { if (plain) out.push({ text: plain }); plain = ""; }
      for (var i = 0; i < w.length;) {
        var k = longestAt(w, i, known), q = longestAt(w, i, QUESTION), v = longestAt(w, i, WEAK);
        var f = q.length >= v.length ? q : v;
        if (k.length >= 2 && k.length >= f.length) { flush(); out.push({ text: k, known: true }); i += k.length; }
        else if (f) { flush(); out.push({ text: f, weak: f === v && f !== q, question: f === q }); i += f.length; }
        else { plain += w.charAt(i); i++; }
      }
      flush();
      // a lone character among function words (要审批吗, 在哪看) only weighs a little, as they do:
      // without a dictionary it cannot be told from a one-character word
      out.forEach(function (x) {
        if (!x.known && !x.weak && !x.question && x.text.length === 1 && HAN.test(x.text)) x.lone = true;
      });
      var content = out.filter(function (x) { return !x.question && !x.weak && !x.lone; });
      if (!content.length) {  // 怎么申请: the verbs are what is asked for
        out.forEach(function (x) { if (x.weak) x.weak = false; });
        content = out.filter(function (x) { return !x.question && !x.lone; });
        if (!content.length) return [{ text: w }];
      }
      return out;
    }

    function wordOf(m, w, expansions) {
      var phrase = tokens.words(w, false);
      if (!phrase.length) return null;
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
      return word;
    }

    // A 发文字号 with its agency's prefix asks for that agency's number only: another agency's
    // same number (the bare 〔2023〕116号) is at most a partial match, and the page says so.
    function numberWord(text, s) {
      var agency = s.full !== s.bare;
      return { text: text, number: true, alts: [{ terms: [agency ? s.full : s.bare] }], bare: agency ? s.bare : null };
    }

    // What the query asks for: words, each with its alternatives (lists of terms, all required).
    function plan(m, query, readings) {
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
        // dibao: a word of the site's vocabulary (主题词, names, synonyms) read that way, and its synonyms
        ((readings && readings[folded]) || []).forEach(function (han) {
          var w = wordOf(m, han, expansions);
          if (w) w.alts.forEach(function (a) { a.reading = han; alts.push(a); });
        });
        if (alts.length) words.push({ text: text, alts: alts });
        return { words: words, expansions: expansions, boosts: boosts };
      }
      var found = tokens.specials(text), rest = [], pos = 0;
      found.forEach(function (s) {
        rest.push(text.slice(pos, s.start));
        pos = s.end;
        words.push(numberWord(text.slice(s.start, s.end), s));
      });
      rest.push(text.slice(pos));
      var known = m.names.concat.apply(m.names, m.synonyms.map(function (g) { return g.map(tokens.normalize); }));
      var seen = {};
      rest.join(" ").split(/[\s,，、;；?？!！。.]+/).forEach(function (typed) {
        if (!typed) return;
        var parts = pieces(m, typed, known), run = [];
        // pieces cut from one typed phrase (2024年 + 年报): the pairs across their seams count
        // as optional terms, so a document holding the phrase as typed ranks first
        parts.concat([{ question: true, text: "" }]).forEach(function (x) {
          if (!(x.question || x.weak || x.lone)) { run.push(x.text); return; }
          if (run.length > 1) {
            var own = {};
            run.forEach(function (r) { tokens.words(r, false).forEach(function (t) { own[t] = true; }); });
            tokens.words(run.join(""), false).forEach(function (t) {
              if (!own[t] && !seen[t]) { seen[t] = true; boosts.push({ term: t, boost: SEAM_BOOST }); }
            });
          }
          run = [];
        });
        parts.forEach(function (x) {
          if (x.question || x.weak || x.lone) {
            tokens.words(x.text, false).forEach(function (t) {
              if (!seen[t]) { seen[t] = true; boosts.push({ term: t, boost: x.weak ? WEAK_BOOST : QUESTION_BOOST, weak: true }); }
            });
            return;
          }
          var word = wordOf(m, x.text, expansions);
          if (word) words.push(word);
        });
      });
      return { words: words, expansions: expansions, boosts: boosts };
    }

    // full pinyin and initials of the site's vocabulary -> its words (y.json, for Latin queries only)
    function readings() {
      return load("y.json").then(null, function () { return {}; });
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
        var latin = LATIN.test(tokens.normalize(query || "").trim()) && pinyin;
        return (latin ? readings() : Promise.resolve(null)).then(function (r) { return [m, plan(m, query, r)]; });
      }).then(function (mp) {
        var m = mp[0], p = mp[1];
        var terms = [];
        p.words.forEach(function (w) {
          w.alts.forEach(function (a) { a.terms.forEach(function (t) { terms.push(t); }); });
          if (w.bare) terms.push(w.bare);
        });
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
      p.words.forEach(function (w) {
        if (w.bare && info[w.bare] && !info[w.bare].absent) need[w.bare] = "p";
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
            var b = (a.label ? SYNONYM_BOOST : 1) * (YEAR.test(t) ? YEAR_BOOST : 1);
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
        hits = p.words.some(function (w) { return w.number; }) ? sameNumber(p, postings, index)
          : partial(p, postings, index, stopped);
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

    // An agency's 文号 nobody has: the documents holding the same bare number (and every other
    // word), shown as a partial match, never as found.
    function sameNumber(p, postings, index) {
      var docs = null, terms = [], boosts = {};
      p.words.forEach(function (w) {
        var d = new Set();
        if (w.bare) {
          if (postings[w.bare]) { postings[w.bare].forEach(function (_, x) { d.add(x); }); terms.push(w.bare); }
        } else {
          w.alts.forEach(function (a) { var s = altDocs(a, postings); if (s) s.forEach(function (x) { d.add(x); }); });
        }
        if (docs === null) docs = d;
        else { var keep = new Set(); docs.forEach(function (x) { if (d.has(x)) keep.add(x); }); docs = keep; }
      });
      if (!terms.length || !docs) return [];
      terms.forEach(function (t) { boosts[t] = 1; });
      var score = scorer(terms, postings, index, boosts);
      return Array.from(docs, function (d) { return { ref: d, score: round(score(d)) }; });
    }

    // No document holds every word: rank those holding most of the query's pairs,
    // at least half of them. A 发文字号 or 索引号 is exact: never partly matched.
    function partial(p, postings, index, stopped) {
      if (p.words.some(function (w) { return w.number; })) return [];
      // a word's pairs as typed are its units (stop pairs left out: every document that matters
      // holds them); a document holding one of its other alternatives whole (a synonym: 拆迁 ->
      // 征收) holds all of that word's units
      var total = 0, held = new Map(), boosts = {}, present = [];
      p.words.forEach(function (w) {
        var units = w.alts[0].terms.filter(function (t, k, all) { return !stopped.has(t) && all.indexOf(t) === k; });
        total += units.length;
        var credit = new Map();
        units.forEach(function (t) {
          if (!postings[t]) return;
          if (!(t in boosts)) { boosts[t] = 1; present.push(t); }
          postings[t].forEach(function (_, d) { credit.set(d, (credit.get(d) || 0) + 1); });
        });
        w.alts.slice(1).forEach(function (a) {
          var docs = altDocs(a, postings);
          if (!docs || !docs.size) return;
          docs.forEach(function (d) { credit.set(d, units.length); });
          a.use.forEach(function (t) { if (!(t in boosts)) { boosts[t] = SYNONYM_BOOST; present.push(t); } });
        });
        credit.forEach(function (n, d) { held.set(d, (held.get(d) || 0) + n); });
      });
      var needed = Math.max(1, Math.ceil(total / 2));
      if (total < 2) return [];
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

  // The URL's query string, read and written without URLSearchParams (Chrome 42–48 have fetch
  // but not it): get, set, delete, toString in the form encoding a search form submits.
  function Params(search) {
    var list = this.list = [];
    String(search || "").replace(/^\?/, "").split("&").forEach(function (part) {
      if (!part) return;
      var at = part.indexOf("=");
      list.push([decode(at < 0 ? part : part.slice(0, at)), decode(at < 0 ? "" : part.slice(at + 1))]);
    });
  }

  function decode(s) {
    try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; }
  }

  function encode(s) {
    return encodeURIComponent(s).replace(/%20/g, "+");
  }

  Params.prototype.get = function (key) {
    for (var i = 0; i < this.list.length; i++) if (this.list[i][0] === key) return this.list[i][1];
    return null;
  };
  Params.prototype.set = function (key, value) {
    var found = false;
    this.list = this.list.filter(function (p) {
      if (p[0] !== key) return true;
      if (found) return false;
      found = true;
      p[1] = String(value);
      return true;
    });
    if (!found) this.list.push([key, String(value)]);
  };
  Params.prototype["delete"] = function (key) {
    this.list = this.list.filter(function (p) { return p[0] !== key; });
  };
  Params.prototype.toString = function () {
    return this.list.map(function (p) { return encode(p[0]) + "=" + encode(p[1]); }).join("&");
  };

  return { create: create, shardOf: shardOf, Params: Params };
});
