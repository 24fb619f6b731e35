"""The full-text search index: lunr scoring, split by term into shards.

lunr.js scores a document as dot(query vector, field vector) / |query vector|
and a query vector only has entries for the query's own terms. So the index
can be cut by term: a browser that loads the shards holding its query's terms
(each term keeps its global index, document frequency and every posting with
its final BM25 weight) and rebuilds a small lunr index from them gets exactly
the scores the whole index would give. What a query fetches then depends on
its terms, not on the catalogue's size.

The weights are lunr's own (``lunr.Builder.createFieldVectors``: BM25 with
k1=1.2, b=0.75, field boosts, rounded to 3 decimals). They are computed here
in one pass over the items instead of through lunr.py's ``Builder``, which
needs far more time and memory at 50,000 items;
``tests/test_search_index.py`` checks that both give the same weights.

Layout under ``search/idx/`` (all JSON, compact):
- ``meta.json``: fields, shard count, facet vocabularies, block sizes, and ``version``, the
  content hash of every other file, which all live under ``<version>/``: a deploy uploads a
  new version's files beside the old ones and ``meta.json`` last, so a search that read the
  old ``meta.json`` keeps finding the old files and one that reads the new finds the new.
- ``t/<shard>.json``: ``{term: [term index, postings of field 0, …]}``, each
  field's postings a flat list ``[doc delta, weight×1000, …]``; a term with
  long postings maps to its term index N instead, and ``p/N.json`` holds them.
- ``d/<block>.json``: what a result shows, for ``DOC_BLOCK`` documents.
- ``a/<block>.json``: facet attributes of ``ATTR_BLOCK`` documents.
Document numbers are positions in ``Site.public_items`` (newest first), so
"sort by date" is "sort by number".
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
from array import array
from collections import _count_elements, deque  # type: ignore[attr-defined]  # private C helper, not in typeshed
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, eq, lt, sub

from gongkai.model import Site
from gongkai.search.documents import Doc, PageDoc, documents
from gongkai.search.pinyin import pinyin_tokens, readings
from gongkai.search.tokens import tokenize

K1 = 1.2
B = 0.75
DOC_BLOCK = 4  # a page of ten relevance-ranked hits touches up to ten blocks
ATTR_BLOCK = 4096
SHARD_TARGET_BYTES = 12 * 1024  # raw JSON of the small terms per shard, before gzip
MAX_SHARDS = 8192
# A term whose postings exceed this gets a file of its own, named by its term
# index, and its shard holds only that number: a query then never downloads
# another term's long posting list because the two share a hash bucket.
INLINE_LIMIT = 1024
# A term in more documents than this is "common" (an agency's name, 政府, 工作):
# its shard entry says [term index, document count], its whole list is in
# p/N.json and its HEAD documents of highest weight in h/N.json. engine.js
# leaves a common pair out of a query that has a rarer one (a stop pair) and
# answers a query of common pairs only from the heads first, the whole lists
# after the first results are shown.
COMMON_DF = 600
HEAD = 300
SNIPPET_CHARS = 240
PREFIX = "search/idx/"
NAME_MARK = "#"  # exact name tokens: no ordinary token starts with it


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    boost: float
    unigrams: bool  # short fields also index single characters


FIELDS: tuple[Field, ...] = (
    Field("title", 10.0, True),
    Field("number", 14.0, False),  # 发文字号: pages and attachments without one lower the field's average length
    Field("id", 10.0, False),  # 索引号: its exact token only
    Field("keywords", 4.0, True),
    Field("agency", 1.0, False),
    Field("summary", 2.0, False),
    Field("body", 1.0, False),
    Field("names", 5.0, False),  # exact tokens of agency, category and topic names
    Field("pinyin", 2.0, False),  # pinyin pairs and initials of title and names (search/pinyin.py)
)


def field_tokens(doc: Doc, names: Sequence[str] = ()) -> list[list[str]]:
    """Tokens of each field of a document, in FIELDS order.

    ``names``: every agency and category name of the site; one the title
    holds is an exact name token of the document too, so 城关街道办事处 ranks
    the items about that office above the thousands it merely published.
    """
    out = []
    for f in FIELDS:
        if f.name == "title":
            out.append(tokenize(doc.title, True))
        elif f.name == "number":
            out.append(tokenize(doc.number))
        elif f.name == "id":
            out.append([t for t in tokenize(doc.id) if "/" in t])
        elif f.name == "keywords":
            out.append(tokenize(" ".join(doc.keywords), True))
        elif f.name == "agency":  # a handful of names shared by every item
            out.append(list(_agency_tokens(doc.agency, f.unigrams)))
        elif f.name == "summary":
            out.append(tokenize(doc.summary))
        elif f.name == "body":
            out.append(tokenize(doc.body))
        elif f.name == "names":
            held = [NAME_MARK + n for n in doc.names]
            held += [NAME_MARK + n for n in names if n in doc.title]
            out.append(held)
        else:
            out.append(pinyin_tokens(doc.title) + list(_name_pinyin(doc.names)))
    return out


@lru_cache(maxsize=4096)
def _name_pinyin(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for n in names for t in pinyin_tokens(n))


def _agency_tokens(name: str, unigrams: bool) -> tuple[str, ...]:
    return tuple(tokenize(name, unigrams))


class _FieldPostings(dict[str, "array[int]"]):
    """One field's postings, term -> [doc, tf, doc, tf, …] with documents ascending, as
    unsigned 32-bit arrays (a list spends 8 bytes a number; at 100,000 items the postings
    are tens of millions of numbers).

    A term's first posting in any field numbers it in the shared ``terms``:
    postings are added document by document, field by field, token by token,
    so that is lunr's order of first occurrence.
    """

    def __init__(self, terms: dict[str, int]):
        super().__init__()
        self.terms = terms

    def __missing__(self, term: str) -> array[int]:
        self.terms.setdefault(term, len(self.terms))
        postings = self[term] = array("I")
        return postings


class Postings:
    """lunr's inverted index and field vectors, built in one pass.

    Term indices follow lunr's Builder: numbered in order of first occurrence
    (documents in order, fields in order, tokens in order).
    """

    def __init__(self, fields: Sequence[Field]):
        self.fields = fields
        self.terms: dict[str, int] = {}  # term -> term index
        self.postings = [_FieldPostings(self.terms) for _ in fields]
        self.lengths: list[list[int]] = [[] for _ in fields]
        self.count = 0

    def add(self, tokens_by_field: list[list[str]]) -> None:
        doc = self.count
        self.count += 1
        extend = array.extend
        for tokens, postings, lengths in zip(tokens_by_field, self.postings, self.lengths, strict=False):
            lengths.append(len(tokens))
            # Counter's own C counting loop, without Counter(): its constructor
            # costs more than the counting on the short fields; keys stay in
            # the tokens' first-occurrence order
            counts: dict[str, int] = {}
            _count_elements(counts, tokens)
            # one posting per distinct term, in that order, appended without a
            # Python-level loop: this runs millions of times on a large site
            deque(map(extend, map(postings.__getitem__, counts), zip(repeat(doc), counts.values())), 0)

    def weighted(self) -> Iterable[tuple[str, int, list[list[int]]]]:
        """(term, term index, per field [doc delta, weight×1000, …]) for every term.

        Consumes the postings: each term's lists are let go once weighted, so the index's
        files grow while the postings shrink instead of both being held at once."""
        n = self.count
        # lunr: k1 * (1 - b + b * (fieldLength / averageFieldLength)), per document
        norms = []
        for lens in self.lengths:
            avg = (sum(lens) / n) if n else 0.0
            norms.append([K1 * (1 - B + B * (length / avg)) if avg else 0.0 for length in lens])
        k = K1 + 1
        floor, log = math.floor, math.log
        pops = [postings.pop for postings in self.postings]
        # norm + tf for the common tf == 1, added once per document, not per posting
        fields = [(norm, [x + 1 for x in norm], f.boost) for norm, f in zip(norms, self.fields, strict=False)]
        for index, term in enumerate(self.terms):
            found = [pop(term, None) for pop in pops]
            df = sum(map(len, filter(None, found))) // 2
            idf = log(1 + abs((n - df + 0.5) / (df + 0.5)))
            idf_k = idf * k  # == idf * (k * tf) for tf == 1, to the last bit
            out: list[list[int]] = []
            for pairs, (norm, norm1, boost) in zip(found, fields, strict=False):
                if not pairs:
                    out.append([])
                    continue
                docs, tfs = pairs[0::2], pairs[1::2]
                flat = [0] * len(pairs)
                flat[0] = docs[0]
                flat[2::2] = map(sub, docs[1:], docs)
                # same operations in the same order as lunr.js, then Math.round(score * 1000)
                flat[1::2] = [floor(idf_k / norm1[d] * boost * 1000 + 0.5) if tf == 1 else
                              floor(idf * (k * tf) / (norm[d] + tf) * boost * 1000 + 0.5)
                              for d, tf in zip(docs, tfs, strict=False)]
                out.append(flat)
            yield term, index, out

    def largest_number(self) -> int:
        """An upper bound of every number ``weighted`` yields: doc deltas are
        below the document count, weights below idf(df=1) × (k1 + 1) × boost × 1000
        (tf / (norm + tf) < 1)."""
        n = self.count
        idf_max = math.log(1 + abs((n - 1 + 0.5) / (1 + 0.5)))
        return max(n, math.ceil(idf_max * (K1 + 1) * max((f.boost for f in self.fields), default=1) * 1000) + 1)


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over the term's UTF-8 bytes; search.js computes the same."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encode_postings(index: int, fields: list[list[int]], digits: Callable[[int], str]) -> bytes:
    """``_dumps([index, *fields])`` for lists of non-negative ints, via a table of their decimal strings."""
    try:
        return f"[{index:d},{','.join(['[' + ','.join(map(digits, f)) + ']' for f in fields])}]".encode()
    except IndexError:  # a number beyond the table: cannot happen if largest_number holds, still right
        return _dumps([index, *fields])


@dataclass
class SearchIndex:
    files: dict[str, bytes]  # path under the site root -> content
    documents: int
    terms: int
    shards: int


@contextmanager
def _collector_paused():
    """No automatic garbage collection inside: the index build allocates
    millions of short-lived lists and dicts (freed by reference counting, no
    cycles), and every collection they trigger would also walk the whole site
    model and, under MkDocs, every page already built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(site: Site, pages: Iterable[PageDoc] = (), common_df: int = COMMON_DF,
                head: int = HEAD) -> SearchIndex:
    """``common_df``, ``head``: tests shrink them to run the common-pair paths on the sample."""
    with _collector_paused():
        return _build_index(site, list(pages), common_df, head)


def site_names(site: Site) -> list[str]:
    """Agency and category names, longest first (a query is matched against them)."""
    names = {a.name for a in site.agencies} | {c.name for c in site.category_by_code.values()}
    return sorted(names, key=lambda n: (-len(n), n))


def _build_index(site: Site, pages: list[PageDoc], common_df: int, head: int) -> SearchIndex:
    docs = documents(site, pages)
    names = site_names(site)
    postings = Postings(FIELDS)
    for doc in docs:
        postings.add(field_tokens(doc, names))

    files: dict[str, bytes] = {}
    encoded: list[tuple[str, bytes]] = []
    total = 0
    # every number of the postings as a ready decimal string: joining them
    # is several times cheaper than json.dumps converting millions of ints
    digits = list(map(str, range(postings.largest_number() + 1))).__getitem__
    for term, index, fields in postings.weighted():
        df = sum(map(len, fields)) // 2
        entry = _encode_postings(index, fields, digits)
        if df > common_df:
            files[f"{PREFIX}p/{index}.json"] = entry
            files[f"{PREFIX}h/{index}.json"] = _encode_postings(index, _head(fields, head), digits)
            entry = b"[%d,%d]" % (index, df)
        elif len(entry) > INLINE_LIMIT:
            files[f"{PREFIX}p/{index}.json"] = entry
            entry = str(index).encode()
        chunk = _dumps(term) + b":" + entry
        encoded.append((term, chunk))
        total += len(chunk) + 1
    terms = len(encoded)
    del postings  # emptied by weighted(); its per-document lengths go too
    shards = max(1, min(MAX_SHARDS, 2 ** math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES)))))
    grouped: list[list[bytes]] = [[] for _ in range(shards)]
    for term, chunk in encoded:
        grouped[shard_of(term, shards)].append(chunk)
    del encoded
    for s, chunks in enumerate(grouped):
        files[f"{PREFIX}t/{s}.json"] = b"{" + b",".join(chunks) + b"}"
        chunks.clear()  # each chunk held once: in its list until joined, then in the shard

    statuses = sorted({d.status for d in docs if d.status})
    years = sorted({int(d.date[:4]) for d in docs if d.date}, reverse=True)
    kinds = list(dict.fromkeys(d.kind for d in docs))
    topics = sorted({d.topic for d in docs if d.topic}, key=lambda t: list(site.topics).index(t)
                    if t in site.topics else len(site.topics))
    agency_at = {a.code: n for n, a in enumerate(site.agencies)}
    category_at = {code: n for n, code in enumerate(site.category_by_code)}
    status_at = {s: n for n, s in enumerate(statuses)}
    year_at = {y: n for n, y in enumerate(years)}
    kind_at = {k: n for n, k in enumerate(kinds)}
    topic_at = {t: n for n, t in enumerate(topics)}
    for start in range(0, len(docs), DOC_BLOCK):
        block = [_doc_entry(d) for d in docs[start:start + DOC_BLOCK]]
        files[f"{PREFIX}d/{start // DOC_BLOCK}.json"] = _dumps(block)
    for start in range(0, len(docs), ATTR_BLOCK):
        part = docs[start:start + ATTR_BLOCK]
        files[f"{PREFIX}a/{start // ATTR_BLOCK}.json"] = _dumps({
            "agency": [agency_at.get(d.agency_code, -1) for d in part],
            "category": [category_at.get(d.category_code, -1) for d in part],
            "status": [status_at.get(d.status, -1) for d in part],
            "year": [year_at[int(d.date[:4])] if d.date else -1 for d in part],
            "topic": [topic_at.get(d.topic, -1) for d in part],
            "kind": [kind_at[d.kind] for d in part],
            "date": [int(d.date.replace("-", "")) if d.date else 0 for d in part],
        })
    files[f"{PREFIX}v.json"] = _dumps(vocabulary(docs, site))
    files[f"{PREFIX}s.json"] = _dumps(suggestions(docs, site))
    files[f"{PREFIX}y.json"] = _dumps(reading_map(docs, site))

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode())
        digest.update(files[path])
    version = digest.hexdigest()[:12]
    files = {f"{PREFIX}{version}/{path.removeprefix(PREFIX)}": content for path, content in files.items()}
    meta = {
        "version": version,
        "lunr": "2.3.9",
        "fields": [f.name for f in FIELDS],
        "documents": len(docs),
        "items": len(site.public_items),
        "shards": shards,
        "docBlock": DOC_BLOCK,
        "attrBlock": ATTR_BLOCK,
        "names": names,
        "synonyms": [list(g) for g in site.synonyms],
        "facets": {
            "agency": [[a.code, a.name] for a in site.agencies],
            "category": [[c.code, c.name, category_at[c.parent.code] if c.parent else -1]
                         for c in site.category_by_code.values()],
            "status": statuses,
            "year": years,
            "topic": topics,
            "kind": kinds,
        },
    }
    files[f"{PREFIX}meta.json"] = _dumps(meta)
    return SearchIndex(files, len(docs), terms, shards)


def _head(fields: list[list[int]], size: int) -> list[list[int]]:
    """The ``size`` documents of highest summed weight, as the same delta lists.

    Common pairs have the longest lists of the index, so every step runs at C
    speed (accumulate, dict.update, sorted, compress): no Python step per posting.
    """
    per_field = []
    for flat in fields:
        docs = list(accumulate(flat[0::2]))
        per_field.append((docs, flat[1::2]))
    order = sorted(range(len(per_field)), key=lambda f: -len(per_field[f][0]))
    totals = dict(zip(*per_field[order[0]], strict=False))
    get = totals.get
    for f in order[1:]:
        docs, weights = per_field[f]
        # a field holds each document once, so reading every total before it is written is exact
        totals.update(zip(docs, map(add, map(get, docs, repeat(0)), weights), strict=False))
    if len(totals) <= size:
        keep = set(totals)
    else:
        # the size-th highest weight, sorted in C (small ints compare fast): every document above
        # it is kept, and of those at it the lowest numbers (the newest) until there are size
        least = sorted(totals.values(), reverse=True)[size - 1]
        keep = set(compress(totals, map(lt, repeat(least), totals.values())))
        ties = sorted(compress(totals, map(eq, repeat(least), totals.values())))
        keep.update(ties[:size - len(keep)])
    out = []
    for docs, weights in per_field:
        flags = list(map(keep.__contains__, docs))
        kept = list(compress(docs, flags))
        flat = [0] * (2 * len(kept))
        if kept:
            flat[0] = kept[0]
            flat[2::2] = map(sub, kept[1:], kept)
            flat[1::2] = compress(weights, flags)
        out.append(flat)
    return out


VOCABULARY_MAX = 6000
SUGGEST_MAX = 1500


def _word_counts(docs: list[Doc], site: Site) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in docs:
        for w in d.keywords:
            counts[w] = counts.get(w, 0) + 1
    for w in site_names(site):
        counts[w] = counts.get(w, 0) + 1000  # names are what people look for first
    for group in site.synonyms:
        for w in group:
            counts[w] = counts.get(w, 0) + 1
    for t in site.topics:
        counts[t] = counts.get(t, 0) + 1
    return counts


def vocabulary(docs: list[Doc], site: Site) -> list[str]:
    """Words "您是不是要找" may propose: keywords, names, synonyms, themes, most used first."""
    counts = _word_counts(docs, site)
    words = sorted((w for w in counts if 2 <= len(w) <= 20), key=lambda w: (-counts[w], w))
    return words[:VOCABULARY_MAX]


READING_WORDS = 5  # words one reading stands for (initials are ambiguous: db)


def reading_map(docs: list[Doc], site: Site) -> dict[str, list[str]]:
    """Full pinyin and initials of the site's vocabulary (主题词, names, topics, synonyms) -> its
    words, most used first: ``dibao`` finds what 低保 finds, synonyms included (engine.js)."""
    counts = _word_counts(docs, site)
    out: dict[str, list[str]] = {}
    for word in sorted(counts, key=lambda w: (-counts[w], w)):
        for key in readings(word):
            words = out.setdefault(key, [])
            if len(words) < READING_WORDS and word not in words:
                words.append(word)
    return dict(sorted(out.items()))


def suggestions(docs: list[Doc], site: Site) -> list[str]:
    """As-you-type suggestions: hot words, then the newest item titles."""
    hot = vocabulary(docs, site)[: SUGGEST_MAX // 2]
    titles = [d.title for d in docs[: len(site.public_items)]][: SUGGEST_MAX - len(hot)]
    return list(dict.fromkeys(hot + titles))


def _doc_entry(d: Doc) -> list:
    return [d.title, d.number, d.id, d.url, d.agency, d.date, d.status, d.summary, d.body[:SNIPPET_CHARS],
            d.kind, d.parent]
