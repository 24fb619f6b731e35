// Checks overrides/assets/search/tokens.js against tests/data/search_tokens.json
// (the Python side is checked by tests/test_search_tokens.py). Run: node tests/js/tokens.test.js
"use strict";
const assert = require("assert");
const path = require("path");
const root = path.resolve(__dirname, "..", "..");
const T = require(path.join(root, "overrides/assets/search/tokens.js"));
// argv[2]: the vectors with extra expectations computed by the Python test
const vectors = require(process.argv[2] || path.join(root, "tests/data/search_tokens.json"));

let failures = 0;
function check(label, fn) {
  try { fn(); } catch (e) { failures++; console.error(`FAIL ${label}\n${e.message}`); }
}
for (const v of vectors.tokenize) {
  check(`tokenize ${v.text}`, () => assert.deepStrictEqual(T.tokenize(v.text, v.unigrams), v.tokens));
}
for (const v of vectors.query) {
  check(`query ${v.query}`, () => assert.deepStrictEqual(
    T.queryClauses(v.query).map(c => [c.term, c.required, c.boost]), v.clauses));
}
for (const [typed, canonical] of Object.entries(vectors.doc_numbers_canonical || {})) {
  check(`doc number ${typed}`, () => {
    const full = T.specials(T.normalize(typed)).map(s => s.full);
    assert.deepStrictEqual(full, [canonical]);
  });
}
if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
console.log("tokens.js: all vectors pass");
