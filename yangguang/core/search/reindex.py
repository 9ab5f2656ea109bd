"""Rebuilding the whole index from the public documents (`yangguang search-reindex`).

Streams the documents in primary-key order, `batch_size` at a time (keyset paging: never
the whole table in memory, and no OFFSET that slows down with depth), and commits per batch,
so the old index keeps answering while the new one is written. Each batch's transaction
also deletes the index rows in its key range whose documents are no longer public, which
catches both stale rows and a withdrawal that races with the rebuild.

With `workers` > 1, segmentation (the costly part) runs in `workers` − 1 forked processes while
the main process reads the next batch and writes the previous one.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import multiprocessing.util
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from .backends import FTS5_TRIGGERS, TABLE
from .indexer import IndexItem, bump_generation, row_for, write_rows

PROGRESS_SECONDS = 2.0
FIELDS = ("pk", "org_id", "live_edition_id", "live_edition__title", "live_edition__body_text",
          "live_edition__doc_number", "live_edition__keywords", "live_edition__topic", "live_edition__genre",
          "live_edition__validity", "live_edition__published_date", "first_published_at")


@dataclass
class ReindexResult:
    count: int
    removed: int
    seconds: float


def _batches(batch_size: int) -> Iterator[tuple[list[IndexItem], int]]:
    """(items, last pk) per batch of public documents."""
    from django.utils import timezone

    Document = apps.get_model("publishing", "Document")
    Attachment = apps.get_model("publishing", "Attachment")
    Organization = apps.get_model("orgs", "Organization")
    org_names = dict(Organization.objects.values_list("pk", "name"))
    last = 0
    while True:
        rows = list(Document.objects.public().filter(pk__gt=last).order_by("pk").values_list(*FIELDS)[:batch_size])
        if not rows:
            return
        texts: dict[int, list[str]] = {}
        for ed, text in Attachment.objects.filter(edition_id__in=[r[2] for r in rows]).exclude(text="") \
                .values_list("edition_id", "text"):
            texts.setdefault(ed, []).append(text)
        items = [IndexItem(
            document_id=pk, org_id=org, org_name=org_names.get(org, ""), topic=topic, genre=genre,
            validity=validity, published_date=pub or timezone.localdate(first), title=title,
            body_text=body or "", doc_number=number or "", keywords=keywords or "",
            attachment_text="\n".join(texts.get(ed, [])),
        ) for pk, org, ed, title, body, number, keywords, topic, genre, validity, pub, first in rows]
        last = rows[-1][0]
        yield items, last


def _rows(items: list[IndexItem]) -> list[tuple]:
    return [row_for(item) for item in items]


def _write(rows: list[tuple], lo: int, hi: int | None) -> int:
    """Write one batch and drop the rows of (lo, hi] whose documents are not public now."""
    Document = apps.get_model("publishing", "Document")
    with transaction.atomic():
        # The generation is bumped last, so its row's lock is held only briefly (parallel writers
        # on PostgreSQL would queue behind it for their whole transaction).
        write_rows(rows, bump=False)
        public = Document.objects.public().filter(pk__gt=lo)
        in_range = f"document_id > %s{' AND document_id <= %s' if hi is not None else ''}"
        params = [lo] + ([hi] if hi is not None else [])
        if hi is not None:
            public = public.filter(pk__lte=hi)
        keep = set(public.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT document_id FROM {TABLE} WHERE {in_range}", params)
            stale = [pk for (pk,) in cursor.fetchall() if pk not in keep]
            for i in range(0, len(stale), 500):
                chunk = stale[i:i + 500]
                cursor.execute(f"DELETE FROM {TABLE} WHERE document_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            if rows or stale:
                bump_generation(cursor)
        return len(stale)




@contextlib.contextmanager
def rebuild_pragmas():
    """SQLite: `secure_delete` FAST on this connection while the index is cleared and rebuilt,
    restored after. Debian's SQLite is built with it on, which overwrites every freed page with
    zeros: emptying a million-document index wrote 9 GB of zeros through the WAL and had not
    finished after 8 minutes. FAST still clears deleted content inside pages that are written
    anyway; the index holds only copies of public texts, which the documents table keeps too."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA secure_delete = FAST")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {before}")


def clear_index() -> None:
    """Empty the index. On SQLite the row-by-row delete triggers would cost as much as the
    rebuild, so they are set aside and the FTS5 indexes emptied with 'delete-all' instead."""
    from .backends import FTS5_TABLES

    with rebuild_pragmas(), transaction.atomic(), connection.cursor() as cursor:
        bump_generation(cursor)
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLE}")
            return
        for fts in FTS5_TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts.prefix}_ad")
        cursor.execute(f"DELETE FROM {TABLE}")
        for fts in FTS5_TABLES:
            cursor.execute(f"INSERT INTO {fts.name} ({fts.name}) VALUES ('delete-all')")
            cursor.execute(fts.trigger("ad"))


def default_workers() -> int:
    """Processes of a rebuild: the main one (reading, writing) and one segmenting process per
    core. The main process mostly waits for the segmenters, so a core left to it alone idles:
    on 2 cores, 20,000 documents on SQLite took 7.96 s with 1 segmenting process, 4.87 s with 2
    (rows written; PostgreSQL, bound by its own to_tsvector, is unchanged)."""
    return max(1, min(5, (os.cpu_count() or 1) + 1))


def reindex(batch_size: int = 1000, clear: bool = False, workers: int | None = None,
            progress: Callable[[str], None] | None = None) -> ReindexResult:
    with rebuild_pragmas():
        return _reindex_all(batch_size, clear, workers, progress)


def _reindex_all(batch_size, clear, workers, progress) -> ReindexResult:
    Document = apps.get_model("publishing", "Document")
    workers = default_workers() if workers is None else workers
    t0 = last_report = time.monotonic()
    total = Document.objects.public().count()
    if clear:
        clear_index()
    # SQLite, from empty: write the rows with the FTS5 triggers set aside and build the text index
    # in one 'rebuild' at the end. (The delete and update triggers too: a publication changing a
    # document already rewritten here would otherwise delete from FTS5 a row it never held, which
    # FTS5 refuses as corruption, failing the publication.) Fed row by row, FTS5 flushes and
    # merges its segments at every statement, which slowed a million-document rebuild to ~150/s. (Feeding FTS5
    # from the rows every 1,000 or 16,000 documents was tried: faster at 20,000 documents, but at a
    # million the merge of the segments it made took longer than the 'rebuild': bench/RESULTS.md.)
    # PostgreSQL, from empty: the same idea, the GIN indexes dropped and built once at the end
    # (until then a search scans the table: slow, but `--clear` has emptied the index anyway).
    bulk = clear and connection.vendor in ("sqlite", "postgresql")
    if bulk:
        from .backends import FTS5_TABLES, PG_TEXT_INDEXES

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for fts in FTS5_TABLES:
                    for kind in FTS5_TRIGGERS:
                        cursor.execute(f"DROP TRIGGER IF EXISTS {fts.prefix}_{kind}")
            else:
                for name, _create in PG_TEXT_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        result = _reindex(Document, total, batch_size, workers, progress, t0, last_report)
    finally:
        if bulk and connection.vendor == "sqlite":
            _rebuild_fts(progress)
        elif bulk:
            _build_gin(progress)
    return ReindexResult(result.count, result.removed, time.monotonic() - t0)  # with the rebuild


def _fts_options(cursor, fts, options) -> None:
    for option, value in options:
        cursor.execute(f"INSERT INTO {fts.name} ({fts.name}, rank) VALUES (%s, %s)", [option, value])


def repair_interrupted_build(progress=None) -> bool:
    """A `--clear` rebuild that was killed before its final build left the rows without a text
    index (SQLite: and without the triggers; PostgreSQL: without the GIN indexes). Finish
    it (True) — run by `search-reindex` before anything else, so `make run` heals such a
    database on the next start."""
    from .backends import FTS5_TABLES, PG_TEXT_INDEXES

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            names = [name for name, _create in PG_TEXT_INDEXES]
            cursor.execute(f"SELECT count(*) FROM pg_indexes WHERE indexname IN ({', '.join(['%s'] * len(names))})",
                           names)
            if cursor.fetchone()[0] == len(names):
                return False
        _build_gin(progress)
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        names = [f"{fts.prefix}_{kind}" for fts in FTS5_TABLES for kind in FTS5_TRIGGERS]
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                       f"({', '.join(['%s'] * len(names))})", names)
        if cursor.fetchone()[0] == len(names):
            return False
    with rebuild_pragmas():
        _rebuild_fts(progress)
    return True


def _rebuild_fts(progress) -> None:
    """Index every content row in one statement per FTS5 table (the main one, the sample, the
    titles), then put the triggers back (also run after a failure, so publications are
    indexed again; the rows written so far are kept)."""
    from .backends import FTS5_TABLES

    if progress:
        progress("正在建立全文索引（FTS5 rebuild）…")
    rebuild_fts_tables(FTS5_TABLES)


def rebuild_fts_tables(tables) -> None:
    """Rebuild these FTS5 tables from their content rows and make sure their triggers exist."""
    with transaction.atomic(), connection.cursor() as cursor:
        bump_generation(cursor)
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        # Built with FTS5's defaults (1 MB of pending terms per segment, incremental merges after
        # every flush) a million documents made thousands of segments whose merges re-read the
        # index through a small page cache (2.1 TB of reads, unfinished after 28 minutes). A
        # large pending-terms buffer makes a few big segments, merged once when 16 pile up
        # ('crisismerge'); the defaults return for the small writes of daily publication.
        cursor.execute(f"PRAGMA cache_size = {-REBUILD_CACHE_KIB}")
        for fts in tables:
            for kind in FTS5_TRIGGERS:
                cursor.execute(fts.trigger(kind))
            _fts_options(cursor, fts, REBUILD_FTS5_OPTIONS)
            cursor.execute(f"INSERT INTO {fts.name} ({fts.name}) VALUES ('rebuild')")
            _fts_options(cursor, fts, FTS5_DEFAULTS)
        cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _build_gin(progress) -> None:
    """PostgreSQL: build the text indexes that are missing (all of them after a `--clear`
    rebuild), with more sort memory than the 64 MB default for this transaction."""
    from .backends import PG_TEXT_INDEXES

    if progress:
        progress("正在建立全文索引（GIN）…")
    with transaction.atomic(), connection.cursor() as cursor:
        bump_generation(cursor)
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{GIN_BUILD_MEMORY}'")
        for _name, create in PG_TEXT_INDEXES:
            cursor.execute(create, None)  # no parameters: "%" may be an operator


GIN_BUILD_MEMORY = "512MB"  # PostgreSQL maintenance_work_mem of the final GIN build (default 64 MB)
REBUILD_HASH_BYTES = 128 * 1024 * 1024  # FTS5 'hashsize' during a rebuild (default 1 MB)
REBUILD_CACHE_KIB = 1024 * 1024  # page cache of the rebuilding connection: 1 GB
FTS5_DEFAULTS = (("hashsize", 1024 * 1024), ("automerge", 4), ("crisismerge", 16))  # sqlite.org/fts5.html §6
REBUILD_FTS5_OPTIONS = (("hashsize", REBUILD_HASH_BYTES), ("automerge", 0))


def _reindex(Document, total, batch_size, workers, progress, t0, last_report) -> ReindexResult:
    done = removed = 0
    lo = 0
    pool = None
    forking = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    # PostgreSQL: each forked process segments a batch and writes it through its own connection,
    # so the server's share (to_tsvector, storing the vectors: more than the segmenting) runs in
    # several backends at once; the main process only reads. Not inside a transaction (a test's):
    # other connections would not see its uncommitted rows.
    if forking and PARALLEL_WRITERS and connection.vendor == "postgresql" and not connection.in_atomic_block:
        pool = multiprocessing.get_context("fork").Pool(workers - 1, initializer=_own_connections)
        return _reindex_writers(pool, total, batch_size, workers - 1, progress, t0, last_report)
    if forking:
        pool = multiprocessing.get_context("fork").Pool(workers - 1 or 1)
    pending = None  # (async result or rows, lo, hi, count)
    try:
        for items, hi in _batches(batch_size):
            step = max(1, len(items) // (2 * (workers - 1 or 1)))
            work = (pool.map_async(_rows, [items[i:i + step] for i in range(0, len(items), step)])
                    if pool else _rows(items))
            if pending is not None:
                removed += _flush(pending)
                done += pending[3]
            pending = (work, lo, hi, len(items))
            lo = hi
            now = time.monotonic()
            if progress and now - last_report >= PROGRESS_SECONDS:
                last_report = now
                progress(_progress_line(done, total, now - t0))
        if pending is not None:
            removed += _flush(pending, last=True)
            done += pending[3]
        else:
            removed += _write([], 0, None)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    seconds = time.monotonic() - t0
    if progress:
        progress(_progress_line(done, total, seconds))
    return ReindexResult(done, removed, seconds)


PARALLEL_WRITERS = True  # PostgreSQL; False: the main process writes all (bench comparisons)
_INHERITED: list = []


def _own_connections() -> None:
    """In a forked process: leave the parent's database connections alone (closing them here
    would end the parent's sessions: the socket is shared) and open its own when needed, closed
    when the process ends."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED.append(conn.connection)  # kept referenced: never finalized in this process
            conn.connection = None
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


def _segment_and_write(items: list[IndexItem], lo: int, hi: int | None) -> tuple[int, int]:
    return len(items), _write(_rows(items), lo, hi)


def _reindex_writers(pool, total, batch_size, writers, progress, t0, last_report) -> ReindexResult:
    """Batches segmented and written by `writers` processes, each in its own transaction; at most
    two batches per writer wait, so memory stays bounded while no writer idles."""
    done = removed = 0
    inflight: collections.deque = collections.deque()
    previous = None  # (items, lo, hi): submitted once the next batch shows it was not the last

    def collect() -> None:
        nonlocal done, removed
        count, stale = inflight.popleft().get()
        done += count
        removed += stale

    try:
        lo = 0
        for items, hi in _batches(batch_size):
            if previous is not None:
                inflight.append(pool.apply_async(_segment_and_write, previous))
            previous = (items, lo, hi)
            lo = hi
            while len(inflight) >= 2 * writers:
                collect()
            now = time.monotonic()
            if progress and now - last_report >= PROGRESS_SECONDS:
                last_report = now
                progress(_progress_line(done, total, now - t0))
        # the last batch also drops index rows above its range (documents gone since)
        last = (previous[0], previous[1], None) if previous is not None else ([], 0, None)
        inflight.append(pool.apply_async(_segment_and_write, last))
        while inflight:
            collect()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    seconds = time.monotonic() - t0
    if progress:
        progress(_progress_line(done, total, seconds))
    return ReindexResult(done, removed, seconds)


def _flush(pending, last: bool = False) -> int:
    work, lo, hi, _count = pending
    rows = work if isinstance(work, list) else [r for chunk in work.get() for r in chunk]
    return _write(rows, lo, None if last else hi)


def _progress_line(done: int, total: int, seconds: float) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
    return f"已索引 {done}/{total} 篇，每秒 {rate:.0f} 篇，预计还需 {eta}"
