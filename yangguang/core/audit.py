"""Append-only, hash-chained, signed audit log.

`record()` must be called inside the transaction of the change it describes, so the
change and its audit row commit or roll back together. `verify()` recomputes the chain
and names the first row whose stored hash does not match its content.

Anchoring (issue #15 item 10): a hash chain alone does not stop someone with write access to
the database, who can rewrite a row and recompute every later hash. So each row also carries
``mac`` = HMAC-SHA256(settings.AUDIT_KEY, hash), and the chain head carries a MAC of (last id,
last hash); the key lives outside the database (environment or key file, see settings). A
rewrite then breaks the first rewritten row's MAC, and deleting the newest rows breaks the
head's. What a key outside the database cannot detect is replaying an earlier signed state
saved by the attacker (truncation to a copy of an older head): for that, keep the output of
`yangguang audit head` (the signed head) somewhere else from time to time, e.g. in the monthly
report; `audit verify --head ID:HASH` checks the chain still contains it.

Hooks: `on_record(prefix, callback)` registers `callback(event)` for every event whose action
starts with `prefix`; `record()` and `record_many()` call it right after the event row is written,
inside the same transaction. So what a callback writes (e.g. an outbound message, core/outbox.py)
commits or rolls back with the change, and a callback that raises rolls the whole change back —
it is a bug, never swallowed. Callbacks therefore only write rows; anything that talks to the
outside world (mail, SMS, HTTP) runs after the commit, from a task. Modules that register hooks
are listed in settings.AUDIT_HOOK_MODULES and imported by CoreConfig.ready(), so the list of
everything that reacts to audited actions is in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64

Hook = Callable[[AuditEvent], None]
_hooks: list[tuple[str, Hook]] = []


def on_record(prefix: str, callback: Hook) -> None:
    """Call `callback(event)` inside the recording transaction for each event whose action starts
    with `prefix` (registering the same pair twice has no effect)."""
    if (prefix, callback) not in _hooks:
        _hooks.append((prefix, callback))


def _run_hooks(event: AuditEvent) -> None:
    for prefix, callback in list(_hooks):
        if event.action.startswith(prefix):
            callback(event)


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


def _mac(message: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def event_mac(event_hash: str) -> str:
    return _mac("event:" + event_hash)


def head_mac(last_id: int, last_hash: str) -> str:
    return _mac(f"head:{last_id}:{last_hash}")


def _advance(head: AuditHead, last: AuditEvent) -> None:
    head.last_hash, head.last_id = last.hash, last.pk
    head.mac = head_mac(last.pk, last.hash)
    head.save(update_fields=["last_hash", "last_id", "mac"])


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
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
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
    event.mac = event_mac(event.hash)
    event.save()
    _advance(head, event)
    _run_hooks(event)
    return event


def record_many(events: list[tuple[str, tuple[str, Any], int | None, dict]], *, actor: Any = None) -> int:
    """Append one event per (action, (object type, id), org id, data), chained in list order, with
    one head lock and one bulk insert: the importers write one event per imported object."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the transaction of the change it records")
    if not events:
        return 0
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    label = (getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统") if actor else "系统"
    now, prev, rows = timezone.now(), head.last_hash, []
    for action, (object_type, object_id), org_id, data in events:
        clean = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
        event = AuditEvent(created_at=now, actor=actor if getattr(actor, "pk", None) else None, actor_label=label,
                           org_id=org_id, action=action, object_type=object_type, object_id=str(object_id),
                           data=clean, prev_hash=prev)
        event.hash = prev = compute_hash(event)
        event.mac = event_mac(event.hash)
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    last = rows[-1]
    if last.pk is None:  # a backend that does not return ids from a bulk insert
        last = AuditEvent.objects.get(hash=last.hash)
    _advance(head, last)
    if _hooks:
        for event in rows:
            _run_hooks(event)
    return len(rows)


@dataclass
class Break:
    event_id: int
    reason: str


def verify(batch: int = 5000, anchor: tuple[int, str] | None = None) -> tuple[int, Break | None]:
    """Walk the chain in id order: hashes, links and signatures, then the signed head; with
    ``anchor`` (id, hash) also that the chain still holds that row. Returns (rows checked, first
    break or None)."""
    prev = GENESIS
    checked = 0
    last_id = 0
    for event in _iter_events(batch):
        if event.prev_hash != prev:
            return checked, Break(event.id, _("前一条哈希不符（有记录被删除、插入或改动）"))
        if compute_hash(event) != event.hash:
            return checked, Break(event.id, _("内容与哈希不符（记录被改动）"))
        if not hmac.compare_digest(event.mac, event_mac(event.hash)):
            return checked, Break(event.id, _("签名不符（记录在数据库中被改写并重算了哈希，或审计密钥不是写入时的密钥）"))
        if anchor is not None and event.id == anchor[0] and event.hash != anchor[1]:
            return checked, Break(event.id, _("与保存在库外的链头记录不符（记录被改写）"))
        prev, last_id = event.hash, event.id
        checked += 1
    if anchor is not None and anchor[0] > last_id:
        return checked, Break(0, _("保存在库外的链头记录已不在链中（末尾记录被删除）"))
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return checked, Break(0, _("链尾与链头不符（末尾记录被删除）"))
    if checked and (head is None or head.last_id != last_id
                    or not hmac.compare_digest(head.mac, head_mac(last_id, prev))):
        return checked, Break(0, _("链头签名不符（末尾记录被删除后链头被改回，或审计密钥不同）"))
    return checked, None


def signed_head() -> str:
    """The head as a line to keep outside the platform: "ID:HASH:MAC"."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or not head.last_id:
        return ""
    return f"{head.last_id}:{head.last_hash}:{head.mac}"


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
