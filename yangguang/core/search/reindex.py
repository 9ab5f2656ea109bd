"""Rebuilding the whole index from the public documents (`yangguang search-reindex`).

Streams the documents in primary-key order, `batch_size` at a time (keyset paging: never
the whole table in memory, and no OFFSET that slows down with depth), and commits per batch,
so the old index keeps answering while the new one is written. Each batch's transaction
also deletes the index rows in its key range whose documents are no longer public, which
catches both stale rows and a withdrawal that races with the rebuild.

With `workers` > 1, segmentation (the costly part) runs in forked processes while the main
process reads the next batch and writes the previous one.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from .backends import TABLE
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
        write_rows(rows)
        public = Document.objects.public().filter(pk__gt=lo)
        in_range = f"document_id > %s{' AND document_id <= %s' if hi is not None else ''}"
        params = [lo] + ([hi] if hi is not None else [])
        if hi is not None:
            public = public.filter(pk__lte=hi)
        keep = set(public.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT document_id FROM {TABLE} WHERE {in_range}", params)
            stale = [pk for (pk,) in cursor.fetchall() if pk not in keep]
            if stale:
                bump_generation(cursor)
            for i in range(0, len(stale), 500):
                chunk = stale[i:i + 500]
                cursor.execute(f"DELETE FROM {TABLE} WHERE document_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        return len(stale)


def clear_index() -> None:
    """Empty the index. On SQLite the row-by-row delete trigger would cost as much as the
    rebuild, so it is set aside and the FTS5 index emptied with 'delete-all' instead."""
    from .backends import SQLITE_DDL

    with transaction.atomic(), connection.cursor() as cursor:
        bump_generation(cursor)
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLE}")
            return
        cursor.execute("DROP TRIGGER IF EXISTS core_searchentry_ad")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('delete-all')")
        cursor.execute(next(sql for sql in SQLITE_DDL if "core_searchentry_ad" in sql))


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def reindex(batch_size: int = 1000, clear: bool = False, workers: int | None = None,
            progress: Callable[[str], None] | None = None) -> ReindexResult:
    Document = apps.get_model("publishing", "Document")
    workers = default_workers() if workers is None else workers
    t0 = last_report = time.monotonic()
    total = Document.objects.public().count()
    if clear:
        clear_index()
    # SQLite, from empty: write the rows with the FTS5 insert trigger set aside and build the text
    # index in one 'rebuild' at the end. Fed row by row, FTS5 flushes and merges its segments at
    # every statement, which slowed a million-document rebuild to ~150 documents/s.
    bulk = clear and connection.vendor == "sqlite"
    if bulk:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_searchentry_ai")
    try:
        result = _reindex(Document, total, batch_size, workers, progress, t0, last_report)
    finally:
        if bulk:
            _rebuild_fts(progress)
    return ReindexResult(result.count, result.removed, time.monotonic() - t0)  # with the rebuild


def repair_interrupted_build(progress=None) -> bool:
    """SQLite: a `--clear` rebuild that was killed before its FTS5 build left the rows without a
    text index and without the insert trigger. Finish it (True) — run by `search-reindex` before
    anything else, so `make run` heals such a database on the next start."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'core_searchentry_ai'")
        if cursor.fetchone():
            return False
    _rebuild_fts(progress)
    return True


def _rebuild_fts(progress) -> None:
    """Index every content row in one statement, then put the insert trigger back (also run after
    a failure, so publications are indexed again; the rows written so far are kept)."""
    from .backends import SQLITE_DDL

    if progress:
        progress("正在建立全文索引（FTS5 rebuild）…")
    with transaction.atomic(), connection.cursor() as cursor:
        bump_generation(cursor)
        cursor.execute(next(sql for sql in SQLITE_DDL if "core_searchentry_ai" in sql))
        cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('rebuild')")


def _reindex(Document, total, batch_size, workers, progress, t0, last_report) -> ReindexResult:
    done = removed = 0
    lo = 0
    pool = None
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
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


def _flush(pending, last: bool = False) -> int:
    work, lo, hi, _count = pending
    rows = work if isinstance(work, list) else [r for chunk in work.get() for r in chunk]
    return _write(rows, lo, None if last else hi)


def _progress_line(done: int, total: int, seconds: float) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
    return f"已索引 {done}/{total} 篇，每秒 {rate:.0f} 篇，预计还需 {eta}"
