"""Business actions of 依申请公开. Each checks permission, changes state in one transaction
and writes one audit event; the due date is never stored (see clock.py)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import audit, validators
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.sequences import next_serial
from yangguang.core.text import clean_multiline, clean_text
from yangguang.core.workdays import Calendar
from yangguang.orgs.roles import Role
from yangguang.orgs.scoping import can_act_in_org

from . import clock, law
from .models import Application, ApplicationCounter, ClockEvent
from .workflow import Action, State, next_state

REQUIRED = {
    "applicant_type": "申请人类型", "applicant_name": "申请人姓名或名称", "description": "所需信息的名称或描述",
    "channel": "申请渠道", "received_date": "收到申请之日",
}
# Free text of an application: one line each, except the description (text.py hygiene).
ONE_LINE = ("applicant_type", "applicant_name", "id_number", "contact_phone", "contact_email", "address",
            "doc_reference", "delivery_form", "delivery_route", "channel")
MULTILINE = ("description",)
MAX_LENGTHS = {"applicant_name": ("申请人姓名或名称", 200), "address": ("通信地址", 300),
               "doc_reference": ("文号", 200), "delivery_form": ("信息形式", 40), "delivery_route": ("获取途径", 40)}


def _check_date(value, label: str, errors: list[str], *, not_before: date | None = None) -> None:
    """Not in the future, not before ``not_before`` nor the 条例 (core/validators.py)."""
    validators.gather(errors, validators.check_date, value, label, not_before=not_before)


def last_clock_date(app: Application) -> date:
    """The latest date on the application's clock: its receipt, or the latest day a clock event
    started or ended. (A correction's ``end`` is the period granted, and a 第35条 event's ``start``
    the date fixed for the reply — deadlines, not days something happened: not counted.)"""
    days = [app.received_date]
    for kind, start, end in app.clock_events.values_list("kind", "start", "end"):
        if kind != ClockEvent.Kind.ART35_DATE:
            days.append(start)
        if end is not None and kind in (ClockEvent.Kind.CONSULTATION, ClockEvent.Kind.FEE):
            days.append(end)
    return max(days)


def check_clock_date(app: Application, on, label: str, errors: list[str], *, backdate_reason: str = "") -> None:
    """The date discipline of every clock action: a real date, not in the future, not before the
    last event on the clock (events are recorded in the order they happen), and a date before
    today only with the reason it is entered late (补录理由, recorded with the event)."""
    before = len(errors)
    _check_date(on, label, errors, not_before=app.received_date)
    if len(errors) > before or not isinstance(on, date):
        return
    last = last_clock_date(app)
    if on < last:
        errors.append(_("%(label)s不能早于该申请上一次期限事件的日期（%(last)s）：期限事件须按发生的先后登记。")
                      % {"label": label, "last": f"{last:%Y-%m-%d}"})
    if on < timezone.localdate() and not backdate_reason:
        errors.append(_("%(label)s早于今天：补录以前的日期须写明补录理由。") % {"label": label})


def due_on(app: Application, day: date) -> date | None:
    """The reply deadline as it stood on ``day`` (clock.due_on over the stored events)."""
    events = [clock.Event(e.kind, e.start, e.end, e.days) for e in app.clock_events.all()]
    return clock.due_on(app.received_date, events, Calendar.from_db(), day, fee_pause=fee_pause_setting())


def check_within_due(app: Application, on: date, what: str) -> None:
    """条例第33条第二款: a clock action that would move the deadline (extension, consultation, fee
    notice, correction) must be taken on or before the deadline; once it has passed the
    application is overdue, and stays so. Refused with IllegalTransition (409 in the API)."""
    due = due_on(app, on)
    if due is not None and on > due:
        raise IllegalTransition(
            _("答复期限已于%(due)s届满，该申请已超期，不能再于%(on)s%(what)s（条例第33条第二款：延期等须在答复期限内"
              "办理并告知申请人）。请尽快答复。") % {"due": f"{due:%Y-%m-%d}", "on": f"{on:%Y-%m-%d}", "what": what})


def _text(value: str | None) -> str:
    """A free-text argument (reason, items, party, note), cleaned of controls and bidi overrides."""
    return clean_multiline(value)


def is_person(applicant_type: str | None) -> bool | None:
    """Which 身份证明 an applicant type takes: an ID number (True), a credit code (False), unknown (None)."""
    if applicant_type == law.ApplicantType.NATURAL:
        return True
    return False if applicant_type in law.ORGANIZATION_TYPES else None


def clean_application(data: dict, *, online: bool) -> tuple[dict, list[str]]:
    """The application's text cleaned and its identifiers, contacts and receipt date checked — the
    one place for the public form, staff registration, the API and the importer of applications.
    Returns the cleaned data and every problem found."""
    data = dict(data)
    for key in ONE_LINE + MULTILINE:
        if key in data and (isinstance(data[key], str) or data[key] is None):
            data[key] = (clean_multiline if key in MULTILINE else clean_text)(data[key])
    errors = [f"{label}不能为空。" for key, label in REQUIRED.items() if not data.get(key)]
    kind = data.get("applicant_type")
    if kind and kind not in law.ApplicantType.values:
        errors.append("申请人类型不正确。")
    if data.get("channel") and data["channel"] not in law.Channel.values:
        errors.append("申请渠道不正确。")
    for key, (label, limit) in MAX_LENGTHS.items():
        if len(data.get(key) or "") > limit:
            errors.append(f"{label}不能超过{limit}个字。")
    _check_date(data.get("received_date"), "收到申请之日", errors)
    if data.get("id_number"):
        data["id_number"] = validators.gather(errors, validators.identity_number, data["id_number"],
                                              person=is_person(kind)) or data["id_number"]
    for key, check in (("contact_phone", validators.phone), ("contact_email", validators.email)):
        if data.get(key):
            data[key] = validators.gather(errors, check, data[key]) or data[key]
    validators.gather(errors, validators.contact, phone=data.get("contact_phone"), email=data.get("contact_email"),
                      address=data.get("address"), trackable=online)
    return data, errors


def _office(user, app: Application) -> bool:
    """The receiving org's 政务公开办 / 承办人, or a 承办人 of the department it is assigned to."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.org_id == app.org_id and (user.has_role(Role.SUPERVISOR) or user.has_role(Role.HANDLER)):
        return True
    return app.assigned_org_id is not None and user.org_id == app.assigned_org_id and user.has_role(Role.HANDLER)


ASSIGN_REFUSED = gettext_lazy("只有受理机关的政务公开办可以分办申请。")


def may_assign(user, app: Application) -> bool:
    """分办 is the receiving org's 政务公开办's (its handlers handle, they do not distribute)."""
    return can_act_in_org(user, app.org) and user.has_role(Role.SUPERVISOR)


def _require(user, app: Application) -> None:
    if not _office(user, app):
        raise NotAllowed("您不是该申请的受理或承办人员。")


def _move(app: Application, action: str) -> tuple[str, str]:
    old = app.state
    app.state = next_state(old, action)
    return old, app.state


def _lock(app: Application) -> Application:
    return Application.objects.select_for_update().get(pk=app.pk)


def _next_number(org, year: int) -> str:
    return f"{year}-{next_serial(ApplicationCounter, org=org, year=year):05d}"


def register(org, data: dict, by=None) -> Application:
    """An application received online (by=None: the public form) or registered by staff."""
    data, errors = clean_application(data, online=by is None and data.get("channel") == law.Channel.ONLINE)
    if by is not None and not (by.org_id == org.id and (by.has_role(Role.SUPERVISOR) or by.has_role(Role.HANDLER))):
        raise NotAllowed("只有本机关政务公开办或承办人可以登记申请。")
    if errors:
        raise InvalidInput("申请信息有误：", details=errors)
    fields = {k: v for k, v in data.items() if k in {f.name for f in Application._meta.fields}}
    with transaction.atomic():
        app = Application(org=org, registered_by=by, **fields)
        app.number = _next_number(org, data["received_date"].year)
        app.save()
        audit.record("application.register", app, actor=by, org_id=org.id, data={
            "number": app.number, "channel": app.channel, "received_date": app.received_date,
        })
    return app


def _event(app, kind, start, *, by, basis, **extra) -> ClockEvent:
    return ClockEvent.objects.create(application=app, kind=kind, start=start, basis=basis, actor=by, **extra)


def request_correction(app: Application, by, *, on: date, until: date, items: str,
                       backdate_reason: str = "") -> Application:
    """补正告知: once, within 7 working days of receipt (条例第30条), never after the deadline."""
    _require(by, app)
    items = _text(items)
    backdate_reason = _text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("告知日期"), errors, backdate_reason=backdate_reason)
    if not items:
        errors.append("须写明需要补正的事项。")
    if until <= on:
        errors.append("补正期限须晚于告知日期。")
    if app.clock_events.filter(kind=ClockEvent.Kind.CORRECTION_REQUESTED).exists():
        errors.append("补正只能告知一次（条例第30条）。")
    if errors:
        raise InvalidInput("不能告知补正：", details=errors)
    with transaction.atomic():
        app = _lock(app)
        check_within_due(app, on, _("告知补正"))
        old, new = _move(app, Action.REQUEST_CORRECTION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CORRECTION_REQUESTED, on, end=until, by=by, basis="条例第30条", reason=items,
               backdate_reason=backdate_reason)
        late = Calendar.from_db().count_working_days(app.received_date, on) > law.CORRECTION_NOTICE_DAYS
        audit.record("application.request_correction", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "on": on, "until": until, "late_notice": late,
            "backdate_reason": backdate_reason,
        })
    return app


def receive_correction(app: Application, by, *, on: date, backdate_reason: str = "") -> Application:
    _require(by, app)
    backdate_reason = _text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("收到补正日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput("收到补正的日期有误：", details=errors)
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.RECEIVE_CORRECTION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CORRECTION_RECEIVED, on, by=by, basis="条例第30条",
               backdate_reason=backdate_reason)
        audit.record("application.receive_correction", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "backdate_reason": backdate_reason})
    return app


def accept(app: Application, by) -> Application:
    return _simple(app, by, Action.ACCEPT, "application.accept")


def _simple(app, by, action, audit_action, **data):
    _require(by, app)
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, action)
        app.save(update_fields=["state"])
        audit.record(audit_action, app, actor=by, org_id=app.org_id, data={"from": old, "to": new, **data})
    return app


def assign(app: Application, by, department, handler=None) -> Application:
    """分办 to a handling department (the receiving org itself or one within its region)."""
    if not may_assign(by, app):
        raise NotAllowed(str(ASSIGN_REFUSED))
    if not department.path.startswith(app.org.path):
        raise InvalidInput("只能分办给本机关或其下属机构。")
    if handler is not None and (handler.org_id != department.id or not handler.has_role(Role.HANDLER)):
        raise InvalidInput("指定的承办人不属于该承办机构。")
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.ASSIGN)
        app.assigned_org, app.handler = department, handler
        app.save(update_fields=["state", "assigned_org", "handler"])
        audit.record("application.assign", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "department": department.id, "handler": handler.pk if handler else None,
        })
    return app


def start_consultation(app: Application, by, *, on: date, party: str, backdate_reason: str = "") -> Application:
    _require(by, app)
    party = clean_text(party)
    backdate_reason = _text(backdate_reason)
    errors: list[str] = []
    if not party:
        errors.append("须写明征求意见的第三方。")
    if len(party) > 200:
        errors.append("第三方名称不能超过200个字。")
    check_clock_date(app, on, _("发出征求意见日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("不能征求第三方意见："), details=errors)
    with transaction.atomic():
        app = _lock(app)
        check_within_due(app, on, _("征求第三方意见"))
        old, new = _move(app, Action.START_CONSULTATION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CONSULTATION, on, by=by, basis="条例第32条、第33条第三款", party=party,
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
    _require(by, app)
    backdate_reason = _text(backdate_reason)
    with transaction.atomic():
        app = _lock(app)
        event = end_pause(app, ClockEvent.Kind.CONSULTATION, on, _("第三方答复或期满日期"), backdate_reason)
        old, new = _move(app, Action.END_CONSULTATION)
        app.save(update_fields=["state"])
        event.end, event.end_backdate_reason = on, backdate_reason
        event.save(update_fields=["end", "end_backdate_reason"])
        audit.record("application.end_consultation", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "backdate_reason": backdate_reason})
    return app


def approve_extension(app: Application, approver, *, days: int, reason: str, on: date,
                      backdate_reason: str = "") -> Application:
    """延期 approved directly by the head of the disclosure office (条例第33条第二款): see
    services_extension.extend_directly — on or before the deadline, the 延期告知书 issued with it."""
    from .services_extension import extend_directly

    return extend_directly(app, approver, days=days, reason=reason, on=on, backdate_reason=backdate_reason)


def reply(app: Application, by, *, reply_type: str, outcome: str, on: date, published_document=None,
          reason: str = "", files_checked: bool = False, backdate_reason: str = "") -> Application:
    """答复办结 with a reply type and the consistent annual-report outcome, issuing the 答复书: see
    services_reply.reply. An 已经主动公开 reply names the published document (条例第36条第（一）项)."""
    from .services_reply import reply as give_reply

    return give_reply(app, by, reply_type=reply_type, outcome=outcome, on=on, published_document=published_document,
                      reason=reason, files_checked=files_checked, backdate_reason=backdate_reason)


def close_by_process(app: Application, by, *, outcome: str, on: date, backdate_reason: str = "") -> Application:
    """Closure by what happened: 逾期不补正 (6.1), 逾期未缴费 (6.2), 补正后仍不明确 (4.3), 其他 (6.3)."""
    _require(by, app)
    problem = law.check_pair(law.BY_PROCESS, outcome)
    if problem:
        raise InvalidInput(problem)
    return _close(app, by, Action.CLOSE_BY_PROCESS, outcome, on, backdate_reason)


def withdraw(app: Application, by=None, *, on: date, backdate_reason: str = "") -> Application:
    """The applicant withdraws (online with tracking code, or registered by staff): 其他处理 (6.3)."""
    if by is not None:
        _require(by, app)
    return _close(app, by, Action.WITHDRAW, "6.3", on, backdate_reason)


def _close(app, by, action, outcome, on, backdate_reason=""):
    """Closure without a reply (by process, withdrawal); a reply closes through services_reply.
    The closing date keeps the clock actions' date discipline (check_clock_date)."""
    if not law.is_valid_outcome(outcome):
        raise InvalidInput(f"办理结果代码“{outcome}”不正确。")
    backdate_reason = _text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("办结日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("不能办结："), details=errors)
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, action)
        app.outcome, app.closed_date = outcome, on
        app.save(update_fields=["state", "outcome", "closed_date"])
        audit.record(f"application.{action}", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "outcome": outcome, "reply_type": "", "on": on, "backdate_reason": backdate_reason,
        })
    return app


def clock_of(app: Application, calendar: Calendar | None = None, today: date | None = None,
             fee_pause: bool | None = None) -> clock.Clock:
    """The application's clock today; a closed application's as of its closed date (clock.compute)."""
    events = [clock.Event(e.kind, e.start, e.end, e.days) for e in app.clock_events.all()]
    closed = app.closed_date if app.state == State.CLOSED else None
    return clock.compute(app.received_date, events, calendar or Calendar.from_db(),
                         today or timezone.localdate(), fee_pause=fee_pause_setting() if fee_pause is None else fee_pause,
                         closed=closed)


def fee_pause_setting() -> bool:
    from django.conf import settings

    return getattr(settings, "DISCLOSURE_FEE_PAUSE", law.FEE_PAUSE_DEFAULT)


def applicant_correction(app: Application, *, text: str, on: date) -> Application:
    """The applicant corrects online (from the tracking page): the corrected request is received
    that day and the 20 working days start again (条例第30条)."""
    text = _text(text)
    if len(text) < 5:
        raise InvalidInput("请写明补正后的申请内容（至少5个字）。")
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.RECEIVE_CORRECTION)
        app.description = f"{app.description}\n【补正{on:%Y-%m-%d}】{text}"
        app.save(update_fields=["state", "description"])
        _event(app, ClockEvent.Kind.CORRECTION_RECEIVED, on, by=None, basis="条例第30条")
        audit.record("application.receive_correction", app, actor=None, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "online": True})
    return app
