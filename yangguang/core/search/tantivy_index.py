"""The Tantivy backend: schema, analyzer, query building, the index directory, readers, writer.

Analyzer: none inside Tantivy. Documents and queries are segmented by rjieba with the same
normalisation (segment.py); the index gets the terms separated by spaces and splits them with the
`whitespace` tokenizer, so a query term is looked up exactly as the document's term was made.
Postings keep term frequencies, not positions (queries have no phrases).

    doc_id u64 indexed fast | title, meta, body: text whitespace freq, weights WEIGHTS (BM25 each)
    org, year u64 indexed fast | topic, genre, validity: text raw, fast | newest u64 fast
    (published_date ordinal << 32 | doc_id: newest first, then id) | applied u64 fast (state only)

One state document (doc_id 0) holds the number of the last outbox commit (changes.py). A query
requires every term, each in title, meta or body (OR of boosted term queries) or all its inner
words; filters are zero-scored required terms (a publication-date span: a range on `newest`); documents whose withdrawal is still pending are
a must-not term set on doc_id; a bare year adds YEAR_BOOST to that year's documents. Facets are
terms aggregations per distinct set of other-facet filters, with more buckets than values: exact.
Readers (web workers) reopen when `current` moves and reload when meta.json changes (a commit);
one writer at a time (Tantivy's lock): the worker applying the outbox, or a rebuild.

An OpenSearch/Elasticsearch backend (several machines; not built: no server is packaged here)
would implement the same operations with this mapping, an alias as the `current` pointer:

    {"settings": {"analysis": {"analyzer": {"terms": {"type": "custom", "tokenizer": "whitespace"}}},
                  "index": {"similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}}}},
     "mappings": {"dynamic": "strict", "properties": {
         "doc_id": {"type": "long"}, "org": {"type": "long"}, "year": {"type": "short"},
         "title": {"type": "text", "analyzer": "terms", "index_options": "freqs"},
         "meta": {"type": "text", "analyzer": "terms", "index_options": "freqs"},
         "body": {"type": "text", "analyzer": "terms", "index_options": "freqs"},
         "topic": {"type": "keyword"}, "genre": {"type": "keyword"}, "validity": {"type": "keyword"},
         "published_date": {"type": "date"}, "applied": {"type": "long"}}}}

and the same query as a bool query (per term a `should` of `term` on title^10, meta^4, body;
`filter` terms; `must_not` doc_id terms), `terms` aggregations inside `filter` aggregations for
the facets, sort published_date desc, doc_id desc for 按日期.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from collections import namedtuple
from pathlib import Path

import tantivy
from django.conf import settings

from .query import ParsedQuery, Term

WEIGHTS = {"title": 10.0, "meta": 4.0, "body": 1.0}
FACETS = ("org", "topic", "genre", "year", "validity")
NUMERIC, CODES = ("org", "year"), ("topic", "genre", "validity")
YEAR_BOOST = 100_000.0  # above any BM25 sum of 12 terms × 15 (weights) × ~30 (idf · (k1 + 1))
FACET_BUCKETS = 65_535  # more than any facet has values: the counts are exact
STATE_ID = 0  # doc_id of the state document (documents' ids start at 1)
WRITER_HEAP = 64_000_000
LOCK_WAIT_SECONDS = 30.0


# A document ready for the index: facet values (published: a date) and its segmented texts.
Prepared = namedtuple("Prepared", "doc_id org topic genre validity published title meta body")


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc_id", indexed=True, fast=True)
    for name in WEIGHTS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in NUMERIC:
        sb.add_unsigned_field(name, indexed=True, fast=True)
    for name in CODES:
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("newest", "applied"):
        sb.add_unsigned_field(name, fast=True)
    return sb.build()


def document(p: Prepared) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("doc_id", p.doc_id)
    for name in WEIGHTS:
        doc.add_text(name, getattr(p, name))
    for name in CODES:
        doc.add_text(name, getattr(p, name))
    newest = p.published.toordinal() << 32 | p.doc_id
    for name, value in (("org", p.org), ("year", p.published.year), ("newest", newest)):
        doc.add_unsigned(name, value)
    return doc


Q, Occur = tantivy.Query, tantivy.Occur


def _word(sch, word: str):
    return Q.boolean_query([(Occur.Should, Q.boost_query(Q.term_query(sch, f, word, index_option="freq"), w))
                            for f, w in WEIGHTS.items()])


def _term(sch, term: Term):
    if not term.alternatives:
        return _word(sch, term.word)
    inner = Q.boolean_query([(Occur.Must, _word(sch, a)) for a in term.alternatives])
    return Q.boolean_query([(Occur.Should, _word(sch, term.word)), (Occur.Should, inner)])


def _filter(sch, name: str, value):
    if name == "published":  # (first, last) dates, inclusive: a range on the `newest` fast field
        lo, hi = (None if d is None else d.toordinal() << 32 for d in value)
        query = Q.range_query(sch, "newest", tantivy.FieldType.Unsigned, lo, None if hi is None else hi | 0xFFFFFFFF)
    else:
        query = Q.term_query(sch, name, value, index_option="basic" if name in CODES else "position")
    return Q.const_score_query(query, 0.0)


def build_query(sch, q: ParsedQuery, filters: dict, exclude=(), years=()):
    clauses = [(Occur.Must, _term(sch, t)) for t in q.terms]
    clauses += [(Occur.Must, _filter(sch, name, value)) for name, value in filters.items()]
    if exclude:
        clauses.append((Occur.MustNot, Q.term_set_query(sch, "doc_id", sorted(exclude))))
    clauses += [(Occur.Should, Q.const_score_query(Q.term_query(sch, "year", y), YEAR_BOOST)) for y in years]
    return Q.boolean_query(clauses)



def root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current() -> Path | None:
    """The live index directory: where the `current` symlink points (None before the first build)."""
    try:
        return root() / os.readlink(root() / "current")
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


def remove_old_directories() -> None:
    """Delete the index directories that are not current (replaced, or left by a failed build).
    Readers that still have one open keep reading it: its files stay until they close them."""
    for path in set(root().glob("index-*")) - {current()}:
        shutil.rmtree(path, ignore_errors=True)


def create_empty() -> Path:
    """A first, empty index (before any rebuild): the outbox fills it."""
    switch(path := new_directory())
    return path



class Snapshot:
    """One searcher: what a commit holds, and its number (`commit`)."""

    def __init__(self, searcher, sch):
        self.searcher, self.schema = searcher, sch
        self.commit, found = _state(searcher, sch)
        self.documents = searcher.num_docs - found

    def page(self, q: ParsedQuery, filters: dict, exclude, sort: str, limit: int, offset: int):
        """(total, [(id, score)]) of the results with every filter."""
        query = build_query(self.schema, q, filters, exclude, q.years if sort != "date" else ())
        found = self.searcher.search(query, limit=limit, offset=offset, count=True,
                                     order_by_field="newest" if sort == "date" else None)
        ids = self.searcher.fast_field_values("doc_id", [a for _s, a in found.hits]) if found.hits else []
        scores = [0.0 if sort == "date" else float(s) for s, _a in found.hits]
        return found.count, [(int(pk), s) for pk, s in zip(ids, scores, strict=True)]

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


def _stamp(path: Path) -> tuple:
    st = (path / "meta.json").stat()  # replaced by each commit
    return st.st_ino, st.st_mtime_ns, st.st_size


_reader: dict[str, object] = {}  # this process's reader: {"path", "index", "stamp"}


def snapshot(retry: bool = True) -> Snapshot | None:
    """The newest committed state of the current index (None: no index built yet)."""
    if (path := current()) is None:
        return None
    try:
        if _reader.get("path") != path:  # the first search, or a rebuild moved `current`
            _reader.update(path=path, index=tantivy.Index.open(str(path)), stamp=_stamp(path))
            _reader["index"].config_reader("manual")
        elif (stamp := _stamp(path)) != _reader["stamp"]:
            _reader["index"].reload()
            _reader["stamp"] = stamp
        return Snapshot(_reader["index"].searcher(), _reader["index"].schema)
    except (FileNotFoundError, ValueError):
        _reader.clear()
        if not retry:  # not a rebuild's switch racing with this read: a broken index
            raise
        return snapshot(retry=False)



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
        for name, value in (("doc_id", STATE_ID), ("applied", self.number)):
            state.add_unsigned(name, value)
        self.writer.add_document(state)
        self.writer.commit()
        return self.number

    def close(self) -> None:
        self.writer.wait_merging_threads()  # finishes the merges; releases the lock


def _lock(open_writer):
    """One writer per directory: wait for the other one (worker, rebuild) rather than fail."""
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
