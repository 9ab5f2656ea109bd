"""The events that move or pause the clock: 补正 (条例第30条), 征求第三方意见 (条例第32条), 第35条's
date fixed for the reply, and the direct extension (services/extension.py has the request and
approval). Each checks permission, runs in one transaction and writes one audit event."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.core.text import clean_text
from yangguang.core.workdays import Calendar

from .. import law
from ..models import Application, ClockEvent
from ..workflow import OPEN_STATES, Action
from . import common
from .common import add_event, check_clock_date, check_within_due, lock, move, require, text


def request_correction(app: Application, by, *, on: date, until: date, items: str,
                       backdate_reason: str = "") -> Application:
    """补正告知: once, within 7 working days of receipt (条例第30条), never after the deadline."""
    require(by, app)
    items = text(items)
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("告知日期"), errors, backdate_reason=backdate_reason)
    if not items:
        errors.append(_("须写明需要补正的事项。"))
    if not isinstance(until, date) or until <= on:
        errors.append(_("补正期限须晚于告知日期。"))
    if app.clock_events.filter(kind=ClockEvent.Kind.CORRECTION_REQUESTED).exists():
        errors.append(_("补正只能告知一次（条例第30条）。"))
    if errors:
        raise InvalidInput(_("不能告知补正："), details=errors)
    with transaction.atomic():
        app = lock(app)
        check_within_due(app, on, _("告知补正"))
        old, new = move(app, Action.REQUEST_CORRECTION)
        app.save(update_fields=["state"])
        add_event(app, ClockEvent.Kind.CORRECTION_REQUESTED, on, end=until, by=by, basis="条例第30条", reason=items,
                  backdate_reason=backdate_reason)
        late = Calendar.from_db().count_working_days(app.received_date, on) > law.CORRECTION_NOTICE_DAYS
        audit.record("application.request_correction", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "on": on, "until": until, "late_notice": late,
            "backdate_reason": backdate_reason,
        })
    return app


def receive_correction(app: Application, by, *, on: date, backdate_reason: str = "") -> Application:
    """补正 received (registered by staff): the 20 working days start again."""
    require(by, app)
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("收到补正日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("收到补正的日期有误："), details=errors)
    with transaction.atomic():
        app = lock(app)
        old, new = move(app, Action.RECEIVE_CORRECTION)
        app.save(update_fields=["state"])
        add_event(app, ClockEvent.Kind.CORRECTION_RECEIVED, on, by=by, basis="条例第30条",
                  backdate_reason=backdate_reason)
        audit.record("application.receive_correction", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "backdate_reason": backdate_reason})
    return app


def applicant_correction(app: Application, *, text: str, on: date) -> Application:
    """The applicant corrects online (from the tracking page): the corrected request is received
    that day and the 20 working days start again (条例第30条)."""
    text = common.text(text)
    if len(text) < 5:
        raise InvalidInput(_("请写明补正后的申请内容（至少5个字）。"))
    with transaction.atomic():
        app = lock(app)
        old, new = move(app, Action.RECEIVE_CORRECTION)
        app.description = f"{app.description}\n【补正{on:%Y-%m-%d}】{text}"
        app.save(update_fields=["state", "description"])
        add_event(app, ClockEvent.Kind.CORRECTION_RECEIVED, on, by=None, basis="条例第30条")
        audit.record("application.receive_correction", app, actor=None, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "online": True})
    return app


def start_consultation(app: Application, by, *, on: date, party: str, backdate_reason: str = "") -> Application:
    """征求第三方意见: the clock pauses (条例第32条、第33条第三款)."""
    require(by, app)
    party = clean_text(party)
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    if not party:
        errors.append(_("须写明征求意见的第三方。"))
    if len(party) > 200:
        errors.append(_("第三方名称不能超过200个字。"))
    check_clock_date(app, on, _("发出征求意见日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("不能征求第三方意见："), details=errors)
    with transaction.atomic():
        app = lock(app)
        check_within_due(app, on, _("征求第三方意见"))
        old, new = move(app, Action.START_CONSULTATION)
        app.save(update_fields=["state"])
        add_event(app, ClockEvent.Kind.CONSULTATION, on, by=by, basis="条例第32条、第33条第三款", party=party,
                  backdate_reason=backdate_reason)
        audit.record("application.start_consultation", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "party": party, "backdate_reason": backdate_reason})
    return app


def end_pause(app: Application, kind: str, on: date, label: str, backdate_reason: str) -> ClockEvent:
    """The open pause of ``kind`` (locked application), checked to end on ``on``: not before it
    began nor before any later event, not in the future, backdated only with a reason."""
    event = app.clock_events.filter(kind=kind, end__isnull=True).first()
    errors: list[str] = []
    check_clock_date(app, on, label, errors, backdate_reason=backdate_reason)
    if event is None or (isinstance(on, date) and on < event.start):
        errors.append(_("%(label)s不能早于暂停开始之日。") % {"label": label})
    if errors:
        raise InvalidInput(_("%(label)s有误：") % {"label": label}, details=errors)
    return event


def end_consultation(app: Application, by, *, on: date, backdate_reason: str = "") -> Application:
    """The third party answered, or its 15 working days ran out: the clock runs again."""
    require(by, app)
    backdate_reason = text(backdate_reason)
    with transaction.atomic():
        app = lock(app)
        event = end_pause(app, ClockEvent.Kind.CONSULTATION, on, _("第三方答复或期满日期"), backdate_reason)
        old, new = move(app, Action.END_CONSULTATION)
        app.save(update_fields=["state"])
        event.end, event.end_backdate_reason = on, backdate_reason
        event.save(update_fields=["end", "end_backdate_reason"])
        audit.record("application.end_consultation", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "backdate_reason": backdate_reason})
    return app


def set_article35_date(app: Application, by, *, on: date, new_due: date, reason: str) -> Application:
    """第35条: for applications clearly beyond a reasonable range but with good reason, the agency fixes
    a reasonable later date and tells the applicant; it replaces the statutory deadline."""
    require(by, app)
    reason = text(reason)
    if app.state not in OPEN_STATES:
        raise IllegalTransition(_("已办结的申请不能另行确定答复期限。"))
    if not reason:
        raise InvalidInput(_("须写明另行确定答复期限的理由（条例第35条）。"))
    if not isinstance(new_due, date) or new_due <= on:
        raise InvalidInput(_("另行确定的答复期限须晚于告知之日。"))
    with transaction.atomic():
        app = lock(app)
        check_within_due(app, on, _("另行确定答复期限"))
        ClockEvent.objects.create(application=app, kind=ClockEvent.Kind.ART35_DATE, start=new_due, actor=by,
                                  basis="条例第35条", reason=reason)
        audit.record("application.article35_date", app, actor=by, org_id=app.org_id,
                     data={"on": on, "new_due": new_due, "reason": reason})
    return app


def approve_extension(app: Application, approver, *, days: int, reason: str, on: date,
                      backdate_reason: str = "") -> Application:
    """延期 approved directly by the head of the disclosure office (条例第33条第二款): see
    extension.extend_directly — on or before the deadline, the 延期告知书 issued with it."""
    from .extension import extend_directly

    return extend_directly(app, approver, days=days, reason=reason, on=on, backdate_reason=backdate_reason)
