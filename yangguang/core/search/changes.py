"""The index outbox: written by the publishing services, applied by the task worker.

Writing: `index_document`, `unindex_document`, `index_imported`, `unindex_ids` add one
SearchChange row per document inside the caller's transaction (publication, new edition going
live, withdrawal, removal, bulk import) and, once it commits, enqueue `apply_search_outbox`
(core/tasks.py). A rolled-back action leaves no row and enqueues nothing.

Applying (`apply`, the worker; Tantivy allows one writer, so concurrent runs take turns): the
pending rows in id order, a thousand at a time; each document is read from the database as it
is NOW (public: its live edition replaces what the index held; else it leaves the index), the
index commits, and the rows are marked with that commit's number. A worker killed before the
commit leaves the rows pending and the index as it was; killed after it, the rows are applied
again, to the same result. Readers reload on the commit.

Reading between a withdrawal and the commit that applies it: the search excludes every
document whose latest change not yet in the reader's commit is a removal (`withdrawn_since`,
one query; a must-not clause in the engine's query, so hits AND facet counts leave it out at
once), and the page's hits are checked against the database's public state (engine._hits).
This was chosen over applying withdrawals synchronously: the web process would have to wait
for the index writer's lock (the worker may be applying a bulk import) inside the withdrawal's
request, and a second writer per process is what Tantivy forbids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import tantivy_index
from .indexer import prepare_all, public_items
from .models import SearchChange

Op = SearchChange.Op
ROWS_PER_COMMIT = 1000
KEEP_APPLIED = timedelta(days=7)


def _record(ids: Sequence[int], op: str) -> int:
    if not ids:
        return 0
    now = timezone.now()
    SearchChange.objects.bulk_create([SearchChange(document_id=pk, op=op, created_at=now) for pk in ids])
    transaction.on_commit(_enqueue, robust=True)
    return len(ids)


def _enqueue() -> None:
    from yangguang.core.tasks import apply_search_outbox

    apply_search_outbox.enqueue()


def index_document(document) -> None:
    """The document as it is now: into the index when public, else out of it."""
    _record([document.pk], Op.INDEX if document.is_public else Op.REMOVE)


def unindex_document(document) -> None:
    _record([getattr(document, "pk", document)], Op.REMOVE)


def unindex_ids(ids: Iterable[int]) -> int:
    return _record(list(ids), Op.REMOVE)


def index_imported(documents: Sequence, editions: Sequence = ()) -> int:
    """A batch of just bulk-created (public) documents; called by the importer in its transaction."""
    return _record([d.pk for d in documents], Op.INDEX)


def _pending(commit: int) -> Q:
    return Q(applied_in__isnull=True) | Q(applied_in__gt=commit)


def withdrawn_since(commit: int) -> set[int]:
    """Documents whose latest change that index commit `commit` does not hold is a removal."""
    pending = SearchChange.objects.filter(_pending(commit))
    rows = (pending.filter(document_id__in=pending.filter(op=Op.REMOVE).values("document_id"))
            .order_by("id").values_list("document_id", "op"))
    last = dict(rows.iterator())  # in id order: the latest op per document wins
    return {pk for pk, op in last.items() if op == Op.REMOVE}


def apply(limit: int = ROWS_PER_COMMIT, before_commit: Callable[[], None] | None = None) -> int:
    """Apply every pending row; the number applied. `before_commit`: a test's hook."""
    done = 0
    with tantivy_index.writing() as writer:
        while rows := list(SearchChange.objects.filter(applied_in__isnull=True).order_by("id")
                           .values_list("id", "document_id")[:limit]):
            ids = {pk for _id, pk in rows}
            writer.remove(ids)
            writer.index(prepare_all(public_items(ids)), replace=False)
            if before_commit is not None:
                before_commit()
            number = writer.commit()
            SearchChange.objects.filter(pk__in=[r for r, _pk in rows]).update(applied_in=number)
            done += len(rows)
        SearchChange.objects.filter(applied_in__isnull=False, created_at__lt=timezone.now() - KEEP_APPLIED).delete()
    return done


def pending_count() -> int:
    return SearchChange.objects.filter(applied_in__isnull=True).count()
