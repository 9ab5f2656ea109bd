"""The Tantivy backend: schema, analyzer and query building, the index directory, readers, writer.

Analyzer: none inside Tantivy. Documents and queries are segmented by rjieba with the same
normalisation (segment.py: NFKC, lower case, letter/digit terms); the index receives the terms
separated by spaces and splits them with Tantivy's `whitespace` tokenizer, so a query term is
looked up exactly as the document's term was produced. Text postings keep term frequencies but
no positions (queries have no phrases: query.py).

Schema (one Tantivy document per public document, plus one state document, doc_id 0):

    doc_id    u64 indexed fast       the document's id
    title     text whitespace freq   标题                       weight ×10 (WEIGHTS)
    meta      text whitespace freq   发文字号, 主题词, 发布机构    weight ×4
    body      text whitespace freq   正文 + attachment text    weight ×1
    org, year u64 indexed fast       facets and filters
    topic, genre, validity  text raw basic, fast   facets and filters (codes)
    newest    u64 fast               published_date's ordinal << 32 | doc_id: newest first, then id
    applied   u64 fast               state document only: the number of the last outbox commit

Query: every query term is required; a term matches when it is in the title, the meta line or
the body (a boolean OR of three term queries boosted by WEIGHTS; BM25 per field, Tantivy's
k1 1.2, b 0.75), or when all its inner words are (query.Term.alternatives). Filters are
zero-scored required term queries; documents still in the index whose withdrawal is not yet
applied are excluded by a must-not term set on doc_id. A bare year in the query adds a constant
YEAR_BOOST to that year's documents, which puts them first. Facets are terms aggregations over
the fast fields, one per distinct set of other-facet filters, with a bucket limit above any
facet's number of values: every count is exact.

Processes: any number of readers (web workers) open the index read-only and reload when its
meta.json changes (a commit) or the `current` pointer moves (a rebuild); one writer at a time
(Tantivy's lock file): the task worker applying the outbox, or a rebuild writing a new directory.

An external backend for deployments beyond one machine would implement the same interface
(Backend in engine.py's terms: index, remove, search, rebuild, health) on OpenSearch or
Elasticsearch with this mapping (not built: no server is packaged here):

    PUT yangguang-documents-<build>        (an alias `yangguang-documents` is the `current` pointer)
    {"settings": {"analysis": {"analyzer": {"terms": {"type": "custom", "tokenizer": "whitespace"}}},
                  "index": {"similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}}}},
     "mappings": {"dynamic": "strict", "_meta": {"applied": 0},
       "properties": {
         "doc_id":   {"type": "long"},
         "title":    {"type": "text", "analyzer": "terms", "index_options": "freqs", "norms": true},
         "meta":     {"type": "text", "analyzer": "terms", "index_options": "freqs"},
         "body":     {"type": "text", "analyzer": "terms", "index_options": "freqs"},
         "org":      {"type": "long"},   "year":  {"type": "short"},
         "topic":    {"type": "keyword"}, "genre": {"type": "keyword"}, "validity": {"type": "keyword"},
         "published_date": {"type": "date"}}}}

with the same query as a bool query (`must` per term: a `bool.should` of `term` queries on
title^10, meta^4, body; `filter` term clauses; `must_not` terms on doc_id), sort by
published_date desc, doc_id desc for 按日期, facets as `terms` aggregations (size above the
number of values, so counts are exact) inside `filter` aggregations for the other facets'
filters, and the applied outbox id stored with each bulk request (a one-document state index).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tantivy
from django.conf import settings

from .query import ParsedQuery, Term

WEIGHTS = {"title": 10.0, "meta": 4.0, "body": 1.0}
FACETS = ("org", "topic", "genre", "year", "validity")
NUMERIC = ("org", "year")
YEAR_BOOST = 100_000.0  # above any BM25 sum of 12 terms × 15 (weights) × ~30 (idf · (k1 + 1))
FACET_BUCKETS = 65_535  # more than any facet has values: the counts are exact
STATE_ID = 0  # doc_id of the state document (documents' ids start at 1)
WRITER_HEAP = 64_000_000
LOCK_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Prepared:
    """A document ready for the index: its facet values and its segmented texts."""

    doc_id: int
    org: int
    topic: str
    genre: str
    validity: str
    published: date
    title: str
    meta: str
    body: str


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc_id", indexed=True, fast=True)
    for name in WEIGHTS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in NUMERIC:
        sb.add_unsigned_field(name, indexed=True, fast=True)
    for name in ("topic", "genre", "validity"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_unsigned_field("newest", fast=True)
    sb.add_unsigned_field("applied", fast=True)
    return sb.build()


def document(p: Prepared) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("doc_id", p.doc_id)
    for name in WEIGHTS:
        doc.add_text(name, getattr(p, name))
    doc.add_unsigned("org", p.org)
    doc.add_unsigned("year", p.published.year)
    for name in ("topic", "genre", "validity"):
        doc.add_text(name, getattr(p, name))
    doc.add_unsigned("newest", p.published.toordinal() << 32 | p.doc_id)
    return doc


# --- queries -----------------------------------------------------------------------------------

Q, Occur = tantivy.Query, tantivy.Occur


def _word(sch, word: str):
    return Q.boolean_query([(Occur.Should, Q.boost_query(Q.term_query(sch, f, word, index_option="freq"), w))
                            for f, w in WEIGHTS.items()])


def _term(sch, term: Term):
    word = _word(sch, term.word)
    if not term.alternatives:
        return word
    inner = Q.boolean_query([(Occur.Must, _word(sch, a)) for a in term.alternatives])
    return Q.boolean_query([(Occur.Should, word), (Occur.Should, inner)])


def _filter(sch, name: str, value):
    option = "basic" if name not in NUMERIC else "position"
    return Q.const_score_query(Q.term_query(sch, name, value, index_option=option), 0.0)


def build_query(sch, q: ParsedQuery, filters: dict, exclude=(), years=()):
    clauses = [(Occur.Must, _term(sch, t)) for t in q.terms]
    clauses += [(Occur.Must, _filter(sch, name, value)) for name, value in filters.items()]
    if exclude:
        clauses.append((Occur.MustNot, Q.term_set_query(sch, "doc_id", sorted(exclude))))
    clauses += [(Occur.Should, Q.const_score_query(Q.term_query(sch, "year", y), YEAR_BOOST)) for y in years]
    return Q.boolean_query(clauses)


# --- the index directory -------------------------------------------------------------------------


def root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current() -> Path | None:
    """The live index directory: where the `current` symlink points, or None before the first build."""
    link = root() / "current"
    try:
        return root() / os.readlink(link)
    except FileNotFoundError:
        return None


def new_directory() -> Path:
    """A new, empty index directory (not current yet)."""
    path = root() / f"index-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    tantivy.Index(schema(), path=str(path))
    return path


def switch(path: Path) -> None:
    """Point `current` at `path` atomically: a symlink renamed over the old one."""
    tmp = root() / f".current-{uuid.uuid4().hex}"
    os.symlink(path.name, tmp)
    os.replace(tmp, root() / "current")


def remove_directory(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def remove_old_directories() -> None:
    """Delete the index directories that are not current (replaced, or left by a failed build).
    Readers that still have one open keep reading it: its files stay until they close them."""
    now = current()
    for path in root().glob("index-*"):
        if path != now:
            remove_directory(path)


def create_empty() -> Path:
    """A first, empty index (before any rebuild): the outbox fills it."""
    path = new_directory()
    switch(path)
    return path


# --- readers ---------------------------------------------------------------------------------------


class Snapshot:
    """One searcher: what the last commit holds, and the outbox id it includes."""

    def __init__(self, searcher, sch):
        self.searcher, self.schema = searcher, sch
        self.commit, found = _state(searcher, sch)
        self.documents = searcher.num_docs - found

    def ids(self, hits) -> list[int]:
        return [int(x) for x in self.searcher.fast_field_values("doc_id", [a for _s, a in hits])] if hits else []

    def page(self, q: ParsedQuery, filters: dict, exclude, sort: str, limit: int, offset: int):
        """(total, [(id, score)]) of the results with every filter."""
        query = build_query(self.schema, q, filters, exclude, q.years if sort != "date" else ())
        found = self.searcher.search(query, limit=limit, offset=offset, count=True,
                                     order_by_field="newest" if sort == "date" else None)
        scores = [0.0 if sort == "date" else float(s) for s, _a in found.hits]
        return found.count, list(zip(self.ids(found.hits), scores, strict=True))

    def facets(self, q: ParsedQuery, filters: dict, exclude) -> dict[str, dict]:
        """{facet: {value: count}}, each facet counted on the match with the OTHER facets' filters."""
        groups: dict[tuple, tuple[dict, list[str]]] = {}
        for name in FACETS:
            base = {k: v for k, v in filters.items() if k != name}
            groups.setdefault(tuple(sorted(base.items())), (base, []))[1].append(name)
        counts = {}
        for base, names in groups.values():
            agg = self.searcher.aggregate(build_query(self.schema, q, base, exclude),
                                          {n: {"terms": {"field": n, "size": FACET_BUCKETS}} for n in names})
            for n in names:
                counts[n] = {b["key"]: b["doc_count"] for b in agg[n]["buckets"]}
        return counts


def _state(searcher, sch) -> tuple[int, int]:
    """(the number of the index's last outbox commit, 1 if the state document exists else 0)."""
    found = searcher.search(Q.term_query(sch, "doc_id", STATE_ID), limit=1).hits
    return (int(searcher.fast_field_values("applied", [found[0][1]])[0] or 0), 1) if found else (0, 0)


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.index = tantivy.Index.open(str(path))
        self.index.config_reader("manual")
        self.schema = self.index.schema
        self.stamp = self._stamp()

    def _stamp(self):
        st = (self.path / "meta.json").stat()
        return st.st_ino, st.st_mtime_ns, st.st_size

    def snapshot(self) -> Snapshot:
        stamp = self._stamp()
        if stamp != self.stamp:  # a commit since: meta.json is replaced by each one
            self.index.reload()
            self.stamp = stamp
        return Snapshot(self.index.searcher(), self.schema)


_readers: dict[Path, _Reader] = {}


def snapshot(retry: bool = True) -> Snapshot | None:
    """The newest committed state of the current index (None: no index built yet)."""
    path = current()
    if path is None:
        return None
    try:
        reader = _readers.get(path)
        if reader is None:
            _readers.clear()  # a rebuild moved `current`: drop the old directory's reader
            reader = _readers[path] = _Reader(path)
        return reader.snapshot()
    except (FileNotFoundError, ValueError):
        _readers.clear()
        if not retry:  # not a rebuild's switch racing with this read: a broken index
            raise
        return snapshot(retry=False)


# --- the writer ------------------------------------------------------------------------------------


class Writer:
    """index(), remove(), then commit(): one Tantivy commit, numbered (`number`, stored in the
    state document) so that the outbox rows can say which commit applied them."""

    def __init__(self, path: Path, heap: int = WRITER_HEAP, threads: int = 1, number: int | None = None):
        self.path = path
        self._index = tantivy.Index.open(str(path))
        self.schema = self._index.schema
        self.writer = _lock(lambda: self._index.writer(heap_size=heap, num_threads=threads))
        self._index.reload()
        self.number = _state(self._index.searcher(), self.schema)[0] if number is None else number

    def remove(self, ids) -> None:
        ids = sorted(set(ids))
        if ids:
            self.writer.delete_documents_by_query(Q.term_set_query(self.schema, "doc_id", ids))

    def index(self, docs: list[Prepared], replace: bool = True) -> None:
        if replace:
            self.remove(d.doc_id for d in docs)
        for d in docs:
            self.writer.add_document(document(d))

    def commit(self) -> int:
        """Commit as the next number; returns it."""
        self.number += 1
        self.remove([STATE_ID])
        state = tantivy.Document()
        state.add_unsigned("doc_id", STATE_ID)
        state.add_unsigned("applied", self.number)
        self.writer.add_document(state)
        self.writer.commit()
        return self.number

    def close(self) -> None:
        self.writer.wait_merging_threads()  # finishes the merges; releases the lock


def _lock(open_writer):
    """Tantivy allows one writer per directory: wait for the other one (the worker applying the
    outbox, a rebuild finishing) rather than fail."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return open_writer()
        except ValueError as exc:
            if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def writing(path: Path | None = None, **options):
    """The writer of `path`, or of the current index (created empty if there is none yet); if a
    rebuild moved `current` while this waited for the lock, the writer of the new one."""
    while True:
        target = path or current() or create_empty()
        w = Writer(target, **options)
        if path is not None or target == current():
            break
        w.close()
    try:
        yield w
    finally:
        w.close()
