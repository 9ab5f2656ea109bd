"""`search-reindex`: rebuild the index into a new directory, and tell whether it needs that.

`rebuild` writes every public document (keyset batches; segmentation in `workers` − 1 forked
processes) into a NEW directory, then, holding the old index's writer lock (no application in
flight), commits it as the next commit, points `current` at it and marks pending again the
outbox rows applied to the old index meanwhile (their documents may have been read before they
changed). `health`: the index's document count against the public documents, the pending outbox rows,
and the index's last commit against the last one the outbox says it applied (an index restored
from an older copy lost commits, even with equal counts); `--if-needed` (run by `make run`)
applies the pending rows and rebuilds when counts differ or the index is behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max

from . import changes, tantivy_index
from .indexer import batches, prepare_all
from .models import SearchChange

PROGRESS_SECONDS = 2.0
REBUILD_HEAP = 256_000_000  # Tantivy's memory budget while building (bench/tantivy_baseline.py's default)


@dataclass
class ReindexResult:
    count: int
    seconds: float


@dataclass
class Health:
    documents: int | None  # in the index (None: no index)
    public: int  # in the database
    pending: int  # outbox rows
    commit: int  # the index's last
    applied: int  # the last commit the outbox says it applied: above `commit`, the index lost commits

    behind = property(lambda self: self.applied > self.commit)
    ok = property(lambda self: self.documents == self.public and not self.pending and not self.behind)


def health() -> Health:
    from yangguang.core.registry import search_source

    snap = tantivy_index.snapshot()
    return Health(None if snap is None else snap.documents, search_source().public_documents().count(),
                  changes.pending_count(), 0 if snap is None else snap.commit,
                  SearchChange.objects.aggregate(n=Max("applied_in"))["n"] or 0)


def default_workers() -> int:
    """The main process (reading, writing) and one segmenting process per core."""
    return max(1, min(5, (os.cpu_count() or 1) + 1))


def rebuild(batch_size: int = 1000, workers: int | None = None,
            progress: Callable[[str], None] | None = None) -> ReindexResult:
    from yangguang.core.registry import search_source

    workers = default_workers() if workers is None else max(1, workers)
    t0 = last_report = time.monotonic()
    total = search_source().public_documents().count()
    old = tantivy_index.snapshot()
    started = old.commit if old else 0
    # Forked before the index is opened: no Tantivy threads in the children.
    pool = multiprocessing.get_context("fork").Pool(workers - 1) if workers > 1 else None
    path = tantivy_index.new_directory()
    done = 0
    try:
        with tantivy_index.writing(path, heap=REBUILD_HEAP) as writer:
            pending = None
            for items in batches(batch_size):
                if pool is not None:
                    step = max(1, len(items) // (2 * (workers - 1)))
                    work = pool.map_async(prepare_all, [items[i:i + step] for i in range(0, len(items), step)])
                else:
                    work = prepare_all(items)
                done += _add(writer, pending)
                pending = work
                if progress and time.monotonic() - last_report >= PROGRESS_SECONDS:
                    last_report = time.monotonic()
                    progress(_progress_line(done, total, last_report - t0))
            done += _add(writer, pending)
            _switch(writer, started)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        tantivy_index.remove_old_directories()  # the replaced one, or this one if it failed
    seconds = time.monotonic() - t0
    if progress:
        progress(_progress_line(done, total, seconds))
    return ReindexResult(done, seconds)


def _add(writer, work) -> int:
    if work is None:
        return 0
    docs = work if isinstance(work, list) else [d for chunk in work.get() for d in chunk]
    writer.index(docs, replace=False)
    return len(docs)


def _switch(writer, started: int) -> None:
    """Commit the new index as the old one's next commit and make it current, holding the old
    index's writer meanwhile (an application in flight finishes; the next one writes the new)."""
    old_path = tantivy_index.current()
    with tantivy_index.writing(old_path) if old_path else contextlib.nullcontext() as old:
        writer.number = max(writer.number, old.number if old else 0)
        writer.commit()
        tantivy_index.switch(writer.path)
        SearchChange.objects.filter(applied_in__gt=started).update(applied_in=None)


def _progress_line(done: int, total: int, seconds: float) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
    return f"已索引 {done}/{total} 篇，每秒 {rate:.0f} 篇，预计还需 {eta}"
