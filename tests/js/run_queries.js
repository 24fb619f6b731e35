// Runs queries against a built site's search index under Node, through the
// same engine.js the search page uses, reading files from disk.
//   node tests/js/run_queries.js SITE_DIR QUERIES.json [FULL_INDEX.json]
// QUERIES.json: a list of query strings. Prints JSON: for each query, the
// ranked result ids (索引号, or the URL of a page or attachment), scores, the
// match mode (all / partial / none), and with FULL_INDEX.json (a whole lunr
// index serialized by lunr.py over the same tokens) the ranking lunr.js gives
// over that whole index for the same terms, when the engine's result is one
// a lunr query can express (every word a single phrase, no stop pairs).
"use strict";
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..", "..");
const assets = path.join(root, "overrides/assets/search");
// lunr.js 2.3.9 is the reference scorer only: no page loads it, so it is not published
const lunr = require(path.join(__dirname, "vendor", "lunr.min.js"));
const tokens = require(path.join(assets, "tokens.js"));
const pinyin = require(path.join(assets, "pinyin.js"));
const GongkaiSearch = require(path.join(assets, "engine.js"));

const [siteDir, queriesFile, fullIndexFile] = process.argv.slice(2);
const indexDir = path.join(siteDir, "search", "idx");
const fetched = [];
// A fresh engine per query: each query starts cold, as in a new browser tab.
const newEngine = () => GongkaiSearch.create({
  tokens, pinyin,
  fetchJson: async (p) => {
    const file = path.join(indexDir, p.split("?")[0]);
    fetched.push(p.split("?")[0].replace(/^[0-9a-f]{12}\//, ""));  // named without the index version's folder
    return JSON.parse(fs.readFileSync(file, "utf8"));
  },
});
const full = fullIndexFile ? lunr.Index.load(JSON.parse(fs.readFileSync(fullIndexFile, "utf8"))) : null;
const round = (x) => Math.round(x * 1e9) / 1e9;

(async () => {
  const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
  const out = [];
  for (const item of queries) {
    const q = typeof item === "string" ? item : item.query;
    const options = typeof item === "string" ? {} : item.options || {};
    fetched.length = 0;
    const engine = newEngine();
    let result = await engine.search(q, options);
    const files = [...new Set(fetched)];  // what a query fetches before its first hits are known
    if (result.complete) result = await result.complete();
    const docs = await engine.docs(result.hits.map((h) => h.ref));
    const row = { query: q, ids: docs.map((d) => d.id || d.url), scores: result.hits.map((h) => h.score),
      refs: result.hits.map((h) => h.ref), mode: result.mode, files,
      expansions: result.plan.expansions, kinds: docs.map((d) => d.kind) };
    if (full && result.terms) {
      const res = full.query((query) => {
        for (const c of result.terms) {
          query.term(c.term, { boost: c.boost, usePipeline: false, wildcard: lunr.Query.wildcard.NONE,
            presence: c.required ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL });
        }
      });
      const scored = res.map((r) => ({ ref: +r.ref, score: round(r.score) }));
      scored.sort((a, b) => b.score - a.score || a.ref - b.ref);
      row.full = { refs: scored.map((r) => r.ref), scores: scored.map((r) => r.score) };
    }
    out.push(row);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
