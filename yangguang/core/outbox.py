"""Queueing and sending outbound messages (models_outbox.py has the state table).

- ``queue(messages)`` — called inside the transaction of the action the messages are about (an
  audit hook): writes the rows and, once that transaction commits, enqueues the ``send_outbox``
  task (core/tasks.py). A rolled-back action leaves no row and enqueues nothing. The enqueue is
  ``robust``: if it fails the action has still succeeded, and the clock's minute round
  (``yangguang clock``) sends the message anyway.
- ``send_due()`` — the task's body: each due message is claimed with one conditional UPDATE (two
  workers never send the same row), sent *outside* any transaction (no database lock is held
  while talking to an SMTP server or an SMS gateway), and its result recorded. A failure is
  retried after OUTBOX_RETRY_SECONDS × 2^(attempts-1) (at most MAX_DELAY); the
  OUTBOX_MAX_ATTEMPTS-th failure gives it up.
- ``requeue(message, by)`` — a system administrator sends a given-up message again (audited).
- ``messages_for(object_type, object_id)`` — the messages about one object, newest first.

Sending is no business action: the attempts are recorded on the row, not in the audit log.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, registry, sms
from .errors import NotAllowed
from .models_outbox import CLAIMABLE, LEASE_SECONDS, TRANSITIONS, OutboundMessage
from .resilience import describe
from .statemachine import step

log = logging.getLogger(__name__)

MAX_DELAY = timedelta(hours=6)  # the longest wait between two attempts
BATCH = 200  # messages sent by one run of the task; the next run takes the rest
M = OutboundMessage


@dataclass(frozen=True)
class Draft:
    """A message to queue: where it goes and what it says."""

    channel: str
    recipient: str
    kind: str
    body: str
    subject: str = ""


def queue(drafts: list[Draft], *, about: tuple[str, object] = ("", ""), event=None) -> list[OutboundMessage]:
    """Write the messages in the current transaction; send them after it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.queue() must run inside the transaction of the action it reports")
    if not drafts:
        return []
    now = timezone.now()
    rows = OutboundMessage.objects.bulk_create([
        OutboundMessage(channel=d.channel, recipient=d.recipient, kind=d.kind, subject=d.subject[:200], body=d.body,
                        object_type=about[0], object_id=str(about[1]), event=event, created_at=now,
                        next_attempt_at=now)
        for d in drafts
    ])
    transaction.on_commit(_enqueue, robust=True)
    return rows


def _enqueue() -> None:
    from .tasks import send_outbox

    send_outbox.enqueue()


def _transition(state: str, action: str) -> str:
    return step(TRANSITIONS, state, action, states=M.State, actions=M.Action, noun=str(_("对外消息")))


def _delay(attempts: int) -> timedelta:
    base = timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    return min(base * (2 ** max(0, attempts - 1)), MAX_DELAY)


def deliver(message: OutboundMessage) -> None:
    """Send one message through its channel; raises on failure."""
    if message.channel == M.Channel.EMAIL:
        EmailMessage(message.subject, message.body, to=[message.recipient]).send(fail_silently=False)
    elif message.channel == M.Channel.SMS:
        sms.get_sender().send(message.recipient, message.body)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def _claim(pk: int, now: datetime) -> OutboundMessage | None:
    """Take the message for sending; None when another worker took it (or it is no longer due)."""
    taken = (OutboundMessage.objects.filter(pk=pk, state__in=CLAIMABLE, next_attempt_at__lte=now)
             .update(state=_transition(M.State.QUEUED, M.Action.CLAIM), claimed_at=now))
    return OutboundMessage.objects.get(pk=pk) if taken else None


def _finish(message: OutboundMessage, error: str | None) -> str:
    """Record the outcome of the attempt just made (success when ``error`` is None)."""
    now = timezone.now()
    with transaction.atomic():
        row = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        row.attempts += 1
        row.last_attempt_at, row.claimed_at = now, None
        if error is None:
            row.state, row.sent_at = _transition(row.state, M.Action.DELIVER), now
        elif row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.state, row.last_error = _transition(row.state, M.Action.GIVE_UP), error
        else:
            row.state, row.last_error = _transition(row.state, M.Action.FAIL), error
            row.next_attempt_at = now + _delay(row.attempts)
        row.save(update_fields=["state", "attempts", "last_attempt_at", "claimed_at", "sent_at", "last_error",
                                "next_attempt_at"])
    return row.state


def _recover_stale(now: datetime) -> int:
    """Attempts whose worker died while sending (the lease ran out) count as failed."""
    stale = OutboundMessage.objects.filter(state=M.State.SENDING, claimed_at__lt=now - timedelta(seconds=LEASE_SECONDS))
    count = 0
    for message in stale:
        _finish(message, _("发送中断（发送进程退出或超时），结果不明，将重试。"))
        count += 1
    return count


def send_due(*, now: datetime | None = None, limit: int = BATCH) -> dict:
    """Send every message that is due: queued ones, and failed ones whose retry time has come."""
    now = now or timezone.now()
    counts: Counter = Counter(recovered=_recover_stale(now))
    due = (OutboundMessage.objects.filter(state__in=CLAIMABLE, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    for pk in list(due):
        message = _claim(pk, now)
        if message is None:
            continue
        try:
            deliver(message)
        except Exception as exc:  # any failure of a channel is recorded and retried, never raised
            log.warning("outbound message %s (%s) failed: %s", message.pk, message.channel, describe(exc))
            counts[_finish(message, describe(exc))] += 1
        else:
            counts[_finish(message, None)] += 1
    return {str(key): n for key, n in counts.items()}


def requeue(message: OutboundMessage, by) -> OutboundMessage:
    """Send a given-up message again (after the cause was fixed): a system administrator only."""
    if not registry.ask("requeue_messages", by):
        raise NotAllowed(_("只有系统管理员可以重新发送对外消息。"))
    with transaction.atomic():
        row = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        old = row.state
        row.state = _transition(row.state, M.Action.REQUEUE)
        row.attempts, row.next_attempt_at = 0, timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit.record("outbox.requeue", row, actor=by, data={"from": old, "to": row.state, "kind": row.kind,
                                                            "object": f"{row.object_type}:{row.object_id}"})
        transaction.on_commit(_enqueue, robust=True)
    return row


def messages_for(object_type: str, object_id) -> list[OutboundMessage]:
    """The messages about one object, newest first (callers check who may see them)."""
    return list(OutboundMessage.objects.filter(object_type=object_type, object_id=str(object_id)))
