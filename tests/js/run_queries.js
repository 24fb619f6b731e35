// Runs queries with lunr.js under Node against a built site's search index,
// through the same engine.js the search page uses, reading files from disk.
//   node tests/js/run_queries.js SITE_DIR QUERIES.json [FULL_INDEX.json]
// QUERIES.json: a list of query strings. Prints JSON: for each query, the
// ranked 索引号s and scores, and with FULL_INDEX.json (a whole lunr index
// serialized by lunr.py over the same tokens) the ranking that index gives.
"use strict";
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..", "..");
const assets = path.join(root, "overrides/assets/search");
const lunr = require(path.join(assets, "lunr.min.js"));
const tokens = require(path.join(assets, "tokens.js"));
const GongkaiSearch = require(path.join(assets, "engine.js"));

const [siteDir, queriesFile, fullIndexFile] = process.argv.slice(2);
const indexDir = path.join(siteDir, "search", "idx");
const fetched = [];
// A fresh engine per query: each query starts cold, as in a new browser tab.
const newEngine = () => GongkaiSearch.create({
  lunr, tokens,
  fetchJson: async (p) => {
    const file = path.join(indexDir, p.split("?")[0]);
    fetched.push(p.split("?")[0]);
    return JSON.parse(fs.readFileSync(file, "utf8"));
  },
});
const full = fullIndexFile ? lunr.Index.load(JSON.parse(fs.readFileSync(fullIndexFile, "utf8"))) : null;

(async () => {
  const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
  const out = [];
  for (const q of queries) {
    fetched.length = 0;
    const engine = newEngine();
    const { clauses, hits } = await engine.search(q);
    const files = [...new Set(fetched)];  // what a query fetches before its hits are known
    const docs = await engine.docs(hits.map((h) => h.ref));
    const row = { query: q, ids: docs.map((d) => d.id), scores: hits.map((h) => h.score),
      refs: hits.map((h) => h.ref), files };
    if (full) {
      const res = full.query((query) => {
        for (const c of clauses) {
          query.term(c.term, { boost: c.boost, usePipeline: false, wildcard: lunr.Query.wildcard.NONE,
            presence: c.required ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL });
        }
      });
      res.sort((a, b) => b.score - a.score || a.ref - b.ref);
      row.full = { refs: res.map((r) => +r.ref), scores: res.map((r) => r.score) };
    }
    out.push(row);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
