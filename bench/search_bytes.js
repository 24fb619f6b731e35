// Gzip bytes of index data each query fetches before its first page of results, under Node
// (no browser, no timing): a quick check of engine.js against an index that bench/search.py built.
//   node bench/search_bytes.js overrides/assets/search SITE/search/idx QUERIES.json
// Prints JSON rows [query, kB, match mode, hits]. The same files as bench/search.py counts:
// what search() loads (meta, shards, postings, heads, vocabulary) and the first page's d/ blocks.
"use strict";
const fs=require('fs'),path=require('path'),zlib=require('zlib');
const [assets, idx, qfile]=process.argv.slice(2).map(p=>path.resolve(p));
const tokens=require(path.join(assets,'tokens.js')),pinyin=require(path.join(assets,'pinyin.js')),E=require(path.join(assets,'engine.js'));
const gz={};const size=f=>gz[f]??=zlib.gzipSync(fs.readFileSync(path.join(idx,f)),{level:6}).length;
(async()=>{const qs=JSON.parse(fs.readFileSync(qfile));const out=[];
for(const q of qs){const got=new Set();const eng=E.create({tokens,pinyin,fetchJson:async p=>{p=p.split('?')[0];got.add(p);return JSON.parse(fs.readFileSync(path.join(idx,p)));}});
const r=await eng.search(q,{});await eng.docs(r.hits.slice(0,10).map(h=>h.ref));
let b=0;for(const f of got)b+=size(f);out.push([q,b/1000,r.mode,r.hits.length]);}
console.log(JSON.stringify(out));})();
