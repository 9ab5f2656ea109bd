"""Telling the applicant at each step of a 依申请公开 application (issue #14: 申请人在每个环节都得到告知).

How it is wired, without touching the business actions: every action of services/ writes one
audit event ``application.<action>`` in its transaction. This module registers an audit hook
(core/audit.py ``on_record``) for those events; it is imported at start-up because it is listed in
``settings.AUDIT_HOOK_MODULES`` (CoreConfig.ready()). For the steps the applicant must hear about
(``STEPS``) the hook renders one message per contact given — e-mail to ``contact_email``, SMS to
``contact_phone`` when it is a mobile number — and queues it in the core outbox (core/outbox.py) in
the same transaction: a rolled-back action queues nothing, and the worker sends after the commit,
so the handler's action never waits for, or fails because of, a mail server or SMS gateway.

A message names the receiving agency, the application number, the step, the date that matters
(reply deadline, correction period), and the link of the tracking page. It gives only a hint of
the tracking code (its first characters: the full code is on the receipt, and code + contact
open the case) and the applicant's contacts only masked. Texts are templates under
templates/disclosure/messages/ (steps/<step>.txt, wrapped by email.txt and sms.txt).

Staff see the messages of a case with ``case_messages(user, app)`` (for the case page) and all
messages in the admin (core/admin_outbox.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import audit, outbox
from yangguang.core.errors import NotAllowed
from yangguang.core.models import AuditEvent, OutboundMessage
from yangguang.core.screening import mask_phone
from yangguang.core.sms import mobile_number
from yangguang.orgs import permissions

from . import fees, law
from .models import Application, ClockEvent
from .workflow import Action

OBJECT_TYPE = Application._meta.label_lower  # "disclosure.application", as in the audit log
KIND_PREFIX = "disclosure."
CODE_HINT_CHARS = 4  # the tracking code's first characters shown in a message

# The audit actions the applicant is told about → the step (its template: messages/steps/<step>.txt).
STEPS: dict[str, str] = {
    "application.register": "received",
    f"application.{Action.REQUEST_CORRECTION}": "correction",
    f"application.{Action.RECEIVE_CORRECTION}": "correction_received",
    f"application.{Action.START_CONSULTATION}": "consultation",
    f"application.{Action.EXTEND}": "extension",
    "application.fee_notice": "fee",
    f"application.{Action.REPLY}": "reply",
    f"application.{Action.CLOSE_BY_PROCESS}": "closed",
    f"application.{Action.WITHDRAW}": "withdrawn",
}
STEP_LABELS = {
    "received": gettext_lazy("已收到申请"),
    "correction": gettext_lazy("请补正申请"),
    "correction_received": gettext_lazy("已收到补正"),
    "consultation": gettext_lazy("正在征求第三方意见"),
    "extension": gettext_lazy("答复期限已延长"),
    "fee": gettext_lazy("信息处理费缴纳通知"),
    "reply": gettext_lazy("已答复"),
    "closed": gettext_lazy("已办结"),
    "withdrawn": gettext_lazy("已撤回"),
}


def code_hint(code: str) -> str:
    """The first characters of the tracking code: enough to tell two applications apart."""
    return code[:CODE_HINT_CHARS]


def _d(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def mask_email(email: str) -> str:
    local, _at, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else ""


def track_url() -> str:
    return settings.SITE_URL + reverse("apply:track")


def _on(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def context(app: Application, step: str, event: AuditEvent) -> dict:
    """What a message of ``step`` says about ``app``, from the application and the event."""
    from .services import clock_of

    clock = clock_of(app)
    data = event.data or {}
    ctx = {
        "site": settings.SITE_NAME, "org": app.org.name, "number": app.number, "code_hint": code_hint(app.tracking_code),
        "contacts": "、".join(c for c in (mask_phone(app.contact_phone) if app.contact_phone else "",
                                          mask_email(app.contact_email)) if c),
        "track_url": track_url(), "step": step, "step_label": STEP_LABELS[step],
        "step_template": f"disclosure/messages/steps/{step}.txt", "received": _d(app.received_date),
        "due": _d(clock.due) if clock.due and not clock.paused_now and app.closed_date is None else "",
        "provisional": clock.provisional, "on": _d(_on(data.get("on"))),
    }
    if step == "correction":
        asked = app.clock_events.filter(kind=ClockEvent.Kind.CORRECTION_REQUESTED).last()
        ctx.update(items=asked.reason if asked else "", until=_d(asked.end if asked else _on(data.get("until"))))
    elif step == "consultation":
        ctx["third_party_days"] = law.THIRD_PARTY_DAYS
    elif step == "extension":
        ctx.update(days=data.get("days"), reason=str(data.get("reason", "")).rstrip("。.；;，, "))
    elif step == "fee":
        ctx.update(amount=fees.yuan(app.fee_amount) if app.fee_amount is not None else "",
                   payment_days=law.FEE_PAYMENT_DAYS, pause=bool(getattr(settings, "DISCLOSURE_FEE_PAUSE", True)))
    elif step in ("reply", "closed", "withdrawn"):
        ctx.update(closed=_d(app.closed_date),
                   reply_type=str(law.ReplyType(app.reply_type).label) if app.reply_type in law.ReplyType.values else "",
                   outcome=law.outcome_label(app.outcome) if law.is_valid_outcome(app.outcome) else "")
    return ctx


def _tidy(text: str, *, sms: bool) -> str:
    """Template output as a message: lines stripped, at most one blank line; an SMS on one line."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if sms:
        return "".join(lines)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render(channel: str, ctx: dict) -> tuple[str, str]:
    """(subject, body) of the message on ``channel``, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        template = "disclosure/messages/sms.txt" if channel == OutboundMessage.Channel.SMS else \
            "disclosure/messages/email.txt"
        body = _tidy(render_to_string(template, ctx), sms=channel == OutboundMessage.Channel.SMS)
        subject = _("【%(site)s】政府信息公开申请%(number)s：%(step)s") % {
            "site": ctx["site"], "number": ctx["number"], "step": ctx["step_label"]}
    return subject, body


def drafts_for(app: Application, step: str, event: AuditEvent) -> list[outbox.Draft]:
    recipients = []
    if app.contact_email:
        recipients.append((OutboundMessage.Channel.EMAIL, app.contact_email))
    mobile = mobile_number(app.contact_phone)
    if mobile:
        recipients.append((OutboundMessage.Channel.SMS, mobile))
    if not recipients:
        return []
    ctx = context(app, step, event)
    drafts = []
    for channel, to in recipients:
        subject, body = render(channel, ctx)
        drafts.append(outbox.Draft(channel=channel, recipient=to, kind=KIND_PREFIX + step, subject=subject, body=body))
    return drafts


def on_application_event(event: AuditEvent) -> None:
    """The audit hook: queue the applicant's messages for a step they must be told about."""
    step = STEPS.get(event.action)
    if step is None or event.object_type != OBJECT_TYPE:
        return
    app = Application.objects.select_related("org").get(pk=event.object_id)
    outbox.queue(drafts_for(app, step, event), about=(OBJECT_TYPE, app.pk), event=event)


audit.on_record("application.", on_application_event)


# --- staff visibility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageRow:
    """One message of a case, as staff see it (the recipient masked)."""

    created_at: datetime
    step: str
    channel: str
    recipient: str
    subject: str
    body: str
    state: str
    state_code: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None


def can_see_messages(user, app: Application) -> bool:
    """Who reads the case (the case page's rule, permissions.reads_application): its org and the
    supervisors above it, and the department it is assigned to."""
    return permissions.reads_application(user, app)


def case_messages(user, app: Application) -> list[MessageRow]:
    """The messages sent (or being sent) to the applicant of ``app``, newest first."""
    if not can_see_messages(user, app):
        raise NotAllowed(_("您无权查看该申请。"))
    rows = []
    for m in outbox.messages_for(OBJECT_TYPE, app.pk):
        step = m.kind.removeprefix(KIND_PREFIX)
        waiting = m.state in (OutboundMessage.State.QUEUED, OutboundMessage.State.FAILED)
        rows.append(MessageRow(
            created_at=m.created_at, step=str(STEP_LABELS.get(step, m.kind)), channel=m.get_channel_display(),
            recipient=m.recipient_masked, subject=m.subject, body=m.body, state=m.get_state_display(),
            state_code=m.state, attempts=m.attempts, last_error=m.last_error, sent_at=m.sent_at,
            next_attempt_at=m.next_attempt_at if waiting else None,
        ))
    return rows
