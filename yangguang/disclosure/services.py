"""Business actions of 依申请公开. Each checks permission, changes state in one transaction
and writes one audit event; the due date is never stored (see clock.py)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yangguang.core import audit, validators
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.sequences import next_serial
from yangguang.core.text import clean_multiline, clean_text
from yangguang.core.workdays import Calendar
from yangguang.orgs.roles import Role

from . import clock, law
from .models import Application, ApplicationCounter, ClockEvent
from .workflow import TRANSITIONS, Action, State, next_state

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


def request_correction(app: Application, by, *, on: date, until: date, items: str) -> Application:
    """补正告知: once, within 7 working days of receipt (条例第30条)."""
    _require(by, app)
    items = _text(items)
    errors: list[str] = []
    _check_date(on, "告知日期", errors, not_before=app.received_date)
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
        old, new = _move(app, Action.REQUEST_CORRECTION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CORRECTION_REQUESTED, on, end=until, by=by, basis="条例第30条", reason=items)
        late = Calendar.from_db().count_working_days(app.received_date, on) > law.CORRECTION_NOTICE_DAYS
        audit.record("application.request_correction", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "on": on, "until": until, "late_notice": late,
        })
    return app


def receive_correction(app: Application, by, *, on: date) -> Application:
    _require(by, app)
    errors: list[str] = []
    _check_date(on, "收到补正日期", errors, not_before=app.received_date)
    if errors:
        raise InvalidInput("收到补正的日期有误：", details=errors)
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.RECEIVE_CORRECTION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CORRECTION_RECEIVED, on, by=by, basis="条例第30条")
        audit.record("application.receive_correction", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on})
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
    if not (by.org_id == app.org_id and by.has_role(Role.SUPERVISOR)):
        raise NotAllowed("只有受理机关的政务公开办可以分办申请。")
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


def start_consultation(app: Application, by, *, on: date, party: str) -> Application:
    _require(by, app)
    party = clean_text(party)
    if not party:
        raise InvalidInput("须写明征求意见的第三方。")
    if len(party) > 200:
        raise InvalidInput("第三方名称不能超过200个字。")
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.START_CONSULTATION)
        app.save(update_fields=["state"])
        _event(app, ClockEvent.Kind.CONSULTATION, on, by=by, basis="条例第32条、第33条第三款", party=party)
        audit.record("application.start_consultation", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on, "party": party})
    return app


def end_consultation(app: Application, by, *, on: date) -> Application:
    _require(by, app)
    with transaction.atomic():
        app = _lock(app)
        event = app.clock_events.filter(kind=ClockEvent.Kind.CONSULTATION, end__isnull=True).first()
        if event is None or on < event.start:
            raise InvalidInput("结束日期不能早于发出征求意见之日。")
        old, new = _move(app, Action.END_CONSULTATION)
        app.save(update_fields=["state"])
        event.end = on
        event.save(update_fields=["end"])
        audit.record("application.end_consultation", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "on": on})
    return app


def approve_extension(app: Application, approver, *, days: int, reason: str, on: date) -> Application:
    """延期: approved by the head of the disclosure office, at most 20 working days in total (第33条)."""
    if not (approver.org_id == app.org_id and (approver.has_role(Role.SUPERVISOR) or approver.has_role(Role.PRINCIPAL))):
        raise NotAllowed("延期答复须经受理机关政务公开工作机构负责人同意（条例第33条）。")
    reason = _text(reason)
    used = sum(app.clock_events.filter(kind=ClockEvent.Kind.EXTENSION).values_list("days", flat=True))
    if days < 1 or used + days > clock.EXTENSION_MAX_DAYS:
        raise InvalidInput(f"延长答复期限最长不得超过{clock.EXTENSION_MAX_DAYS}个工作日（条例第33条），已延长{used}个工作日。")
    if not reason:
        raise InvalidInput("延期须写明理由。")
    with transaction.atomic():
        app = _lock(app)
        if (app.state, Action.EXTEND) not in TRANSITIONS:
            raise IllegalTransition(f"处于“{State(app.state).label}”状态的申请不能延期。")
        _event(app, ClockEvent.Kind.EXTENSION, on, by=approver, approved_by=approver, days=days,
               basis="条例第33条第二款", reason=reason)
        audit.record("application.extend", app, actor=approver, org_id=app.org_id,
                     data={"days": days, "total": used + days, "reason": reason, "on": on})
    return app


def reply(app: Application, by, *, reply_type: str, outcome: str, on: date, published_document=None) -> Application:
    """答复办结 with a reply type and the consistent annual-report outcome. An 已经主动公开 reply
    names the published document it points the applicant to (条例第36条第（一）项)."""
    _require(by, app)
    problem = law.check_pair(reply_type, outcome)
    if problem:
        raise InvalidInput(problem)
    if reply_type == law.ReplyType.PUBLISHED:
        if published_document is None or not published_document.is_public:
            raise InvalidInput("答复“已经主动公开”须选择一份正在公开的文件，答复书将告知其获取途径。")
    errors: list[str] = []
    _check_date(on, "答复日期", errors, not_before=app.received_date)
    if errors:
        raise InvalidInput("答复日期有误：", details=errors)
    return _close(app, by, Action.REPLY, outcome, on, reply_type=reply_type, published_document=published_document)


def close_by_process(app: Application, by, *, outcome: str, on: date) -> Application:
    """Closure by what happened: 逾期不补正 (6.1), 逾期未缴费 (6.2), 补正后仍不明确 (4.3), 其他 (6.3)."""
    _require(by, app)
    problem = law.check_pair(law.BY_PROCESS, outcome)
    if problem:
        raise InvalidInput(problem)
    return _close(app, by, Action.CLOSE_BY_PROCESS, outcome, on)


def withdraw(app: Application, by=None, *, on: date) -> Application:
    """The applicant withdraws (online with tracking code, or registered by staff): 其他处理 (6.3)."""
    if by is not None:
        _require(by, app)
    return _close(app, by, Action.WITHDRAW, "6.3", on)


def _close(app, by, action, outcome, on, reply_type="", published_document=None):
    if not law.is_valid_outcome(outcome):
        raise InvalidInput(f"办理结果代码“{outcome}”不正确。")
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, action)
        app.outcome, app.reply_type, app.closed_date = outcome, reply_type, on
        if reply_type == law.ReplyType.PUBLISHED:
            app.published_document_id = getattr(published_document, "pk", None)
        app.save(update_fields=["state", "outcome", "reply_type", "closed_date", "published_document"])
        audit.record(f"application.{action}", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "outcome": outcome, "reply_type": reply_type, "on": on,
        })
    return app


def clock_of(app: Application, calendar: Calendar | None = None, today: date | None = None,
             fee_pause: bool | None = None) -> clock.Clock:
    events = [clock.Event(e.kind, e.start, e.end, e.days) for e in app.clock_events.all()]
    return clock.compute(app.received_date, events, calendar or Calendar.from_db(),
                         today or timezone.localdate(), fee_pause=fee_pause_setting() if fee_pause is None else fee_pause)


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
