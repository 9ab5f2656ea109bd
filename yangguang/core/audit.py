"""Append-only, hash-chained audit log.

`record()` must be called inside the transaction of the change it describes, so the
change and its audit row commit or roll back together. `verify()` recomputes the chain
and names the first row whose stored hash does not match its content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "org_id": event.org_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    action: str,
    obj: Any,
    *,
    actor: Any = None,
    org_id: int | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event about `obj` (a model instance, or a (type, id) pair)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change it records")
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, obj.pk
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    # Round-trip through JSON now, so the hash is computed over exactly what is stored.
    clean = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统")
        if actor is not None else "系统",
        org_id=org_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        data=clean,
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


def record_many(events: list[tuple[str, tuple[str, Any], int | None, dict]], *, actor: Any = None) -> int:
    """Append one event per (action, (object type, id), org id, data), chained in list order, with
    one head lock and one bulk insert: the importers write one event per imported object."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the transaction of the change it records")
    if not events:
        return 0
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    label = (getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统") if actor else "系统"
    now, prev, rows = timezone.now(), head.last_hash, []
    for action, (object_type, object_id), org_id, data in events:
        clean = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
        event = AuditEvent(created_at=now, actor=actor if getattr(actor, "pk", None) else None, actor_label=label,
                           org_id=org_id, action=action, object_type=object_type, object_id=str(object_id),
                           data=clean, prev_hash=prev)
        event.hash = prev = compute_hash(event)
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    head.last_hash = prev
    head.save(update_fields=["last_hash"])
    return len(rows)


@dataclass
class Break:
    event_id: int
    reason: str


def verify(batch: int = 5000) -> tuple[int, Break | None]:
    """Walk the chain in id order. Returns (rows checked, first break or None)."""
    prev = GENESIS
    checked = 0
    for event in _iter_events(batch):
        if event.prev_hash != prev:
            return checked, Break(event.id, "前一条哈希不符（有记录被删除、插入或改动）")
        if compute_hash(event) != event.hash:
            return checked, Break(event.id, "内容与哈希不符（记录被改动）")
        prev = event.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return checked, Break(0, "链尾与链头不符（末尾记录被删除）")
    return checked, None


def _iter_events(batch: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def history(object_type: str, object_id: Any):
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")
