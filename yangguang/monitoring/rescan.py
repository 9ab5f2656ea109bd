"""Incremental re-scan of published documents for the 安全、泄密 veto (spec/monitoring.md).

A document is (re)scanned only when it has no `ScanState` for its current live edition under the
current rule set. The rule set is identified by a hash of the screening module's source and the
deployment's sensitive-word list, so an updated word list or detector rescans everything once,
and a quiet day rescans only what was published or re-edited since the last run.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from yangguang.core import screening
from yangguang.publishing.models import Attachment, Document, Edition

from .models import ScanState

BATCH = 500


def ruleset_hash() -> str:
    h = hashlib.sha256(Path(screening.__file__).read_bytes())
    for word in sorted(screening.configured_sensitive_words()):
        h.update(b"\n" + word.encode())
    return h.hexdigest()


@dataclass
class ScanStats:
    ruleset: str
    scanned: int = 0
    blocking_documents: int = 0
    pending: int = 0  # still to scan after this pass (only when a limit stopped it)
    seconds: float = 0.0  # finding and screening the documents
    count_seconds: float = 0.0  # counting what is still pending (only when a limit stopped it)

    def as_dict(self) -> dict:
        return asdict(self)


def pending_documents(org_q: Q, ruleset: str):
    current = ScanState.objects.filter(document=OuterRef("pk"), edition_id=OuterRef("live_edition_id"),
                                       ruleset=ruleset)
    return (Document.objects.filter(live_edition__isnull=False, withdrawn_at__isnull=True, removed_at__isnull=True)
            .filter(org_q).filter(~Exists(current)))


def _scan_batch(rows: list[tuple[int, int, int]], ruleset: str) -> int:
    edition_ids = [r[2] for r in rows]
    texts: dict[int, list[str]] = {}
    for eid, title, body in Edition.objects.filter(id__in=edition_ids).values_list("id", "title", "body_text"):
        texts[eid] = [title or "", body or ""]
    for eid, text in Attachment.objects.filter(edition_id__in=edition_ids).values_list("edition_id", "text"):
        texts.setdefault(eid, []).append(text or "")
    now = timezone.now()
    states, hits = [], 0
    for doc_id, org_id, eid in rows:
        kinds: list[str] = []
        for text in texts.get(eid, []):
            kinds += [f.kind for f in screening.screen_text(text) if f.severity == screening.BLOCKING]
        hits += bool(kinds)
        states.append(ScanState(document_id=doc_id, org_id=org_id, edition_id=eid, ruleset=ruleset,
                                blocking=len(kinds), kinds=sorted(set(kinds)), scanned_at=now))
    with transaction.atomic():
        ScanState.objects.bulk_create(states, update_conflicts=True, unique_fields=["document"],
                                      update_fields=["org_id", "edition_id", "ruleset", "blocking", "kinds",
                                                     "scanned_at"])
    return hits


def scan_pending(org_q: Q | None = None, limit: int | None = None) -> ScanStats:
    """Scan what changed since the last scan (at most `limit` documents; None: all)."""
    started = time.monotonic()
    ruleset = ruleset_hash()
    stats = ScanStats(ruleset)
    org_q = org_q or Q()
    last_id = 0
    while limit is None or stats.scanned < limit:
        size = BATCH if limit is None else min(BATCH, limit - stats.scanned)
        rows = list(pending_documents(org_q, ruleset).filter(id__gt=last_id).order_by("id")
                    .values_list("id", "org_id", "live_edition_id")[:size])
        if not rows:
            break
        stats.blocking_documents += _scan_batch(rows, ruleset)
        stats.scanned += len(rows)
        last_id = rows[-1][0]
    stats.seconds = round(time.monotonic() - started, 3)
    if limit is not None and stats.scanned >= limit:
        counted = time.monotonic()
        stats.pending = pending_documents(org_q, ruleset).count()
        stats.count_seconds = round(time.monotonic() - counted, 3)
    return stats
