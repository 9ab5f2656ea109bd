"""The index outbox: rows written by the publishing services, applied by the task worker.

Writing (`index_document`, `unindex_document`, `index_imported`, `unindex_ids`): one row per
document in the caller's transaction; after its commit `apply_search_outbox` is enqueued.
Applying (`apply`): pending rows in id order; each document is read as it is NOW (public: its
live edition replaces the indexed one; else it leaves), the index commits, the rows are marked
with the commit's number. Killed before the commit: rows pending, index unchanged; after it:
the rows are applied again, to the same result. Readers reload on the commit.

Between a withdrawal and the commit applying it, searches exclude documents whose latest change
the reader's commit lacks is a removal (`withdrawn_since`: one query, a must-not clause, so hits
AND counts drop it at once); pages are also checked against the public state (engine._hits).
Chosen over applying withdrawals synchronously: the request would wait for the writer's lock
(the worker may be applying an import), and Tantivy allows one writer.
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
    _record([document.pk], Op.INDEX if document.is_public else Op.REMOVE)


def unindex_document(document) -> None:
    _record([getattr(document, "pk", document)], Op.REMOVE)


def unindex_ids(ids: Iterable[int]) -> int:
    return _record(list(ids), Op.REMOVE)


def index_imported(documents: Sequence, editions: Sequence = ()) -> int:
    return _record([d.pk for d in documents], Op.INDEX)


def _pending(commit: int) -> Q:
    return Q(applied_in__isnull=True) | Q(applied_in__gt=commit)


def withdrawn_since(commit: int) -> set[int]:
    """Documents whose latest change that index commit `commit` does not hold is a removal."""
    pending = SearchChange.objects.filter(_pending(commit))
    rows = (pending.filter(document_id__in=pending.filter(op=Op.REMOVE).values("document_id"))
            .order_by("id").values_list("document_id", "op"))
    return {pk for pk, op in dict(rows.iterator()).items() if op == Op.REMOVE}  # id order: the latest wins


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
