"""The write side of `import-documents`: the ImportRun record, committed batches, one audit event
per document, resume and rollback.

Why batches: on SQLite every write transaction holds the database's only write lock. One
transaction for a 30,000-row import held it for tens of seconds; every publication, login and
the task worker waited (and gave up with "database is locked" after the busy timeout). Committed
batches of BATCH_ROWS_SQLITE rows hold it for well under a second each, and readers and other
writers take turns in between. All-or-nothing is kept another way:
- the whole file is validated (and screened) before the first write: a bad file writes nothing;
- the 索引号 of every row are reserved up front (each org's and year's counter moves past the
  whole file in one short transaction), so a resumed run numbers its rows exactly as the first
  attempt would have and no publication meanwhile can take one of them;
- the ImportRun records how many rows are committed and which document ids they became, so an
  interrupted run is resumed from the next row (`--resume RUN`) or removed (`--rollback RUN`).
PostgreSQL has no global write lock: there the import stays one transaction by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit, search
from yangguang.core.errors import InvalidInput
from yangguang.core.imports import file_sha256
from yangguang.core.models import ImportRun

from . import listing
from .models import Document, Edition, IndexCounter
from .workflow import State

# Rows per committed batch on SQLite. Measured on the 2-core machine: ~500 rows (insert, index,
# audit events) take 0.3–0.5 s of write lock, short enough for a page's write to wait behind it.
BATCH_ROWS_SQLITE = 500
ROLLBACK_BATCH = 500


def default_batch_rows() -> int | None:
    """None: one transaction for the whole file (PostgreSQL); else rows per committed batch."""
    return BATCH_ROWS_SQLITE if connection.vendor == "sqlite" else None


def serial_key(org_id: int, year: int) -> str:
    return f"{org_id}:{year}"


def reserve_serials(run: ImportRun, groups) -> dict[tuple[int, int], int]:
    """Move every (org, year) counter past this file's rows; the run keeps where each range starts.
    Inside the caller's transaction; the counters stay locked until it ends."""
    org_ids = {org_id for org_id, _year in groups}
    IndexCounter.objects.bulk_create(
        [IndexCounter(org_id=o, year=y, last_serial=0) for o, y in groups], ignore_conflicts=True
    )
    counters = [c for c in IndexCounter.objects.select_for_update().filter(org_id__in=org_ids)
                if (c.org_id, c.year) in groups]
    bases = {}
    for counter in counters:
        bases[(counter.org_id, counter.year)] = counter.last_serial
        counter.last_serial += len(groups[(counter.org_id, counter.year)])
    IndexCounter.objects.bulk_update(counters, ["last_serial"], batch_size=500)
    run.serial_bases = {serial_key(*k): v for k, v in bases.items()}
    return bases


def reserved_bases(run: ImportRun) -> dict[tuple[int, int], int]:
    out = {}
    for key, base in run.serial_bases.items():
        org_id, year = key.split(":")
        out[(int(org_id), int(year))] = base
    return out


def write_batch(run: ImportRun, docs: list[Document], editions: list[Edition], per_org: Counter, by) -> None:
    """Insert one batch, index it, one `edition.publish` event per document (the 发布登记簿 reads
    those), and the run's progress: all in the caller's transaction, so they commit together."""
    Document.objects.bulk_create(docs)
    Edition.objects.bulk_create(editions)  # document_id is taken from the now-saved documents
    first_edition = Edition.objects.filter(document_id=OuterRef("pk"), number=1).values("pk")[:1]
    Document.objects.filter(pk__in=[d.pk for d in docs]).update(live_edition_id=Subquery(first_edition))
    search.index_imported(docs, editions)
    listing.bump({d.column_id for d in docs})
    audit.record_many([
        ("edition.publish", ("publishing.edition", e.pk), d.org_id, {
            "document": d.pk, "from": "", "to": State.PUBLISHED, "index_number": d.index_number, "edition": 1,
            "title": e.title, "content_hash": e.content_hash, "change_kind": "", "urgent": False,
            "imported": True, "import_run": run.pk, "published_at": e.published_at,
        }) for d, e in zip(docs, editions, strict=True)
    ], actor=by)
    orgs = Counter(run.counts.get("orgs", {}))
    orgs.update(per_org)
    run.counts = {**run.counts, "orgs": dict(sorted(orgs.items()))}
    run.rows_done += len(docs)
    run.add_ids(d.pk for d in docs)
    run.save(update_fields=["counts", "rows_done", "document_ranges"])


def finish(run: ImportRun, by) -> None:
    """The run is complete: its state and one summary event for the whole file."""
    run.state, run.finished_at = ImportRun.State.DONE, timezone.now()
    run.save(update_fields=["state", "finished_at"])
    audit.record("document.import", ("core.importrun", run.pk), actor=by, data={
        "file": run.file_name, "sha256": run.file_sha256, "count": run.rows_done, "run": run.pk,
        "orgs": run.counts.get("orgs", {}), "warnings": run.counts.get("warnings", 0),
    })


def run_to_resume(run_id: int, path: Path | None) -> tuple[ImportRun, Path]:
    """The interrupted run and its file (the same bytes as the first attempt, or it is refused)."""
    run = ImportRun.objects.filter(pk=run_id, kind=ImportRun.Kind.DOCUMENTS).first()
    if run is None:
        raise InvalidInput(_("没有编号为%(id)s的文件导入记录。") % {"id": run_id})
    if run.state not in (ImportRun.State.IMPORTING, ImportRun.State.FAILED):
        raise InvalidInput(_("导入记录%(id)s的状态是“%(state)s”，只有中断的导入可以续导。")
                           % {"id": run.pk, "state": run.get_state_display()})
    path = Path(path or run.file_path)
    if not path.is_file():
        raise InvalidInput(_("找不到导入记录%(id)s的文件：%(path)s") % {"id": run.pk, "path": path})
    if file_sha256(path) != run.file_sha256:
        raise InvalidInput(_("文件“%(name)s”与导入记录%(id)s的文件内容不同（SHA-256不符），不能续导；"
                             "请先撤销该次导入再重新导入。") % {"name": path.name, "id": run.pk})
    return run, path


def rollback_import(run_id: int, by=None, progress: Callable[[str], None] | None = None) -> int:
    """Remove every document a run imported (in committed batches on SQLite, like the import),
    one audit event per document; the run ends `rolled_back`. Safe to run again after an
    interruption. Refused when a document has been edited since (a new edition exists)."""
    run = ImportRun.objects.filter(pk=run_id, kind=ImportRun.Kind.DOCUMENTS).first()
    if run is None:
        raise InvalidInput(_("没有编号为%(id)s的文件导入记录。") % {"id": run_id})
    if run.state in (ImportRun.State.ROLLED_BACK, ImportRun.State.VALIDATING):
        raise InvalidInput(_("导入记录%(id)s的状态是“%(state)s”，没有可撤销的内容。")
                           % {"id": run.pk, "state": run.get_state_display()})
    ids = run.ids()
    edited = sum(  # in chunks: a parameter list of 30,000 ids is past SQLite's limit
        Edition.objects.filter(document_id__in=ids[i:i + 10_000], number__gt=1).values("document_id").distinct().count()
        for i in range(0, len(ids), 10_000)
    )
    if edited:
        raise InvalidInput(_("导入记录%(id)s导入的文件中有%(n)d篇已修改出新版本，不能整体撤销；请逐篇撤回。")
                           % {"id": run.pk, "n": edited})
    removed = 0
    batch = ROLLBACK_BATCH
    with transaction.atomic() if connection.vendor != "sqlite" else nullcontext():
        for i in range(0, len(ids), batch):
            with transaction.atomic():
                removed += _remove(run, ids[i:i + batch], by)
            if progress:
                progress(_("已撤销 %(n)d/%(total)d 条") % {"n": min(i + batch, len(ids)), "total": len(ids)})
        with transaction.atomic():
            run.state, run.finished_at = ImportRun.State.ROLLED_BACK, timezone.now()
            run.save(update_fields=["state", "finished_at"])
            audit.record("document.import_rollback", ("core.importrun", run.pk), actor=by, data={
                "file": run.file_name, "run": run.pk, "count": len(ids), "removed": removed,
            })
    return removed


def _remove(run: ImportRun, ids: list[int], by) -> int:
    docs = list(Document.objects.filter(pk__in=ids).values_list("pk", "org_id", "column_id", "index_number"))
    if not docs:
        return 0
    pks = [d[0] for d in docs]
    search.unindex_ids(pks)
    listing.bump({d[2] for d in docs})
    listing.bump_documents(pks)
    Document.objects.filter(pk__in=pks).update(live_edition=None)
    Edition.objects.filter(document_id__in=pks).delete()
    Document.objects.filter(pk__in=pks).delete()
    audit.record_many([
        ("document.import_remove", ("publishing.document", pk), org_id, {"index_number": number, "import_run": run.pk})
        for pk, org_id, _column, number in docs
    ], actor=by)
    return len(docs)
