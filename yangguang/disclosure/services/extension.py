"""延期答复 (条例第33条第二款): the handler (承办人) requests an extension with its days and reason;
the head of the disclosure office (政府信息公开工作机构负责人 — the receiving org's 政务公开办 or
主要领导, the role that has always approved extensions here) approves or refuses it. Approval is
dated, on or before the current deadline (once the deadline has passed the application is
overdue, and stays so: spec/disclosure.md "The clock"), and issues the 延期答复告知书 in the same
transaction. The head may also extend directly: a request approved in the same step.

Each function checks permission, runs in one transaction and writes one audit event. The
``*_blocker`` functions say why an action is not available, for the case page.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.orgs import permissions

from .. import law, letters
from ..models import Application, ClockEvent, ExtensionRequest, Letter
from ..workflow import TRANSITIONS, Action, ExtensionAction, ExtensionState, State, next_extension_state
from .common import check_clock_date, check_within_due, due_on, lock, text

MAX_REASON = 500
# The refusals of the two permission questions (also the action table's, disclosure/actions.py).
REQUEST_REFUSED = gettext_lazy("只有该申请的承办人员可以申请延期。")
DIRECT_REFUSED = gettext_lazy("延期答复须经受理机关政务公开工作机构负责人同意（条例第33条）。")
APPROVE_REFUSED = gettext_lazy("延期须经受理机关政府信息公开工作机构负责人（政务公开办或主要领导）批准（条例第33条）。")
REFUSE_REFUSED = gettext_lazy("只有受理机关政府信息公开工作机构负责人（政务公开办或主要领导）可以驳回延期申请。")


def can_request(user, app: Application) -> bool:
    """The people handling the case: the receiving org's office and handlers, the assigned
    department's handlers (permissions.handles)."""
    return permissions.handles(user, app)


def can_decide(user, app: Application) -> bool:
    """政府信息公开工作机构负责人 of the receiving org: its 政务公开办 or 主要领导 (条例第33条第二款)."""
    return permissions.can_decide_extension(user, app)


def used_days(app: Application) -> int:
    return sum(app.clock_events.filter(kind=ClockEvent.Kind.EXTENSION).values_list("days", flat=True))


def pending(app: Application) -> ExtensionRequest | None:
    return (app.extension_requests.filter(state=ExtensionState.REQUESTED)
            .select_related("requested_by").first())


def clock_blocker(app: Application, on: date) -> str | None:
    """Why the application cannot be extended on ``on`` (state, 20 days used, deadline passed)."""
    if (app.state, Action.EXTEND) not in TRANSITIONS:
        return _("处于“%(state)s”状态的申请不能延期（分办承办后、答复前才能延期）。") % {"state": State(app.state).label}
    used = used_days(app)
    if used >= law.EXTENSION_MAX_DAYS:
        return _("已延长%(n)d个工作日，达到条例第33条规定的上限，不能再延期。") % {"n": used}
    due = due_on(app, on)
    if due is not None and on > due:
        return _("答复期限已于%(due)s届满，申请已超期，不能再延期（条例第33条第二款）。") % {"due": f"{due:%Y-%m-%d}"}
    return None


def _invalid(title: str, errors: list[str]) -> InvalidInput:
    """One problem is the message itself; several are listed under ``title``."""
    return InvalidInput(errors[0]) if len(errors) == 1 else InvalidInput(title, details=errors)


def _check_days(app: Application, days, errors: list[str]) -> None:
    used = used_days(app)
    if not isinstance(days, int) or days < 1 or used + days > law.EXTENSION_MAX_DAYS:
        errors.append(_("延长答复期限最长不得超过%(max)d个工作日（条例第33条），已延长%(used)d个工作日。")
                      % {"max": law.EXTENSION_MAX_DAYS, "used": used})


def _reason(reason: str, errors: list[str], label: str) -> str:
    reason = text(reason)
    if not reason:
        errors.append(_("须写明%(label)s。") % {"label": label})
    elif len(reason) > MAX_REASON:
        errors.append(_("%(label)s不能超过%(n)d个字。") % {"label": label, "n": MAX_REASON})
    return reason


def request_extension(app: Application, by, *, days: int, reason: str) -> ExtensionRequest:
    """申请延期, today: the head of the disclosure office decides."""
    if not can_request(by, app):
        raise NotAllowed(str(REQUEST_REFUSED))
    errors: list[str] = []
    reason = _reason(reason, errors, _("延期理由"))
    _check_days(app, days, errors)
    if errors:
        raise _invalid(_("不能申请延期："), errors)
    today = timezone.localdate()
    with transaction.atomic():
        app = lock(app)
        problem = clock_blocker(app, today)
        if problem:
            raise IllegalTransition(problem)
        if pending(app) is not None:
            raise IllegalTransition(_("该申请已有待审批的延期申请，请等待政务公开工作机构负责人审批。"))
        ask = ExtensionRequest.objects.create(application=app, days=days, reason=reason, requested_by=by,
                                              requested_on=today)
        audit.record("application.extension_request", app, actor=by, org_id=app.org_id, data={
            "request": ask.pk, "days": days, "reason": reason, "on": today, "due": due_on(app, today),
        })
    return ask


def _approve(app: Application, ask: ExtensionRequest, by, on: date, backdate_reason: str, written: list[str]):
    """Inside the caller's transaction (application and request locked): the extension event on
    ``on``, the request approved, the 延期答复告知书 issued. Returns (event, letter, due before)."""
    check_within_due(app, on, _("批准延期"))
    if (app.state, Action.EXTEND) not in TRANSITIONS:
        raise IllegalTransition(_("处于“%(state)s”状态的申请不能延期。") % {"state": State(app.state).label})
    before = due_on(app, on)
    event = ClockEvent.objects.create(
        application=app, kind=ClockEvent.Kind.EXTENSION, start=on, days=ask.days, basis="条例第33条第二款",
        reason=ask.reason, actor=ask.requested_by, approved_by=by, backdate_reason=backdate_reason)
    letter = letters.produce(app, by, Letter.Kind.EXTENSION, written, record=False, event=event)
    ask.state = next_extension_state(ask.state, ExtensionAction.APPROVE)
    ask.decided_by, ask.decided_at, ask.decided_on = by, timezone.now(), on
    ask.event, ask.letter = event, letter
    ask.save(update_fields=["state", "decided_by", "decided_at", "decided_on", "decision_comment", "event", "letter"])
    return event, letter, before


def _decision_input(app: Application, on: date, backdate_reason: str, days=None) -> str:
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("批准日期"), errors, backdate_reason=backdate_reason)
    if days is not None:
        _check_days(app, days, errors)
    if errors:
        raise _invalid(_("不能批准延期："), errors)
    return backdate_reason


def _run(step):
    """Run ``step(written)`` in one transaction; on failure remove the letter files it wrote."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return step(written)
    except Exception:
        letters.discard(written)
        raise


def approve_extension_request(ask: ExtensionRequest, by, *, on: date | None = None, comment: str = "",
                              backdate_reason: str = "") -> ExtensionRequest:
    """批准延期: dated ``on`` (today by default), on or before the deadline as it stands that day."""
    app = ask.application
    if not can_decide(by, app):
        raise NotAllowed(str(APPROVE_REFUSED))
    on = on or timezone.localdate()
    asked = ask.requested_on
    if on < asked:
        raise InvalidInput(_("批准日期不能早于提出延期申请之日（%(d)s）。") % {"d": f"{asked:%Y-%m-%d}"})
    backdate_reason = _decision_input(app, on, backdate_reason, days=ask.days)
    comment = text(comment)

    def step(written):
        locked = lock(app)
        current = ExtensionRequest.objects.select_for_update().select_related("requested_by").get(pk=ask.pk)
        if current.state != ExtensionState.REQUESTED:
            next_extension_state(current.state, ExtensionAction.APPROVE)  # raises the table's message
        current.decision_comment = comment
        event, letter, before = _approve(locked, current, by, on, backdate_reason, written)
        audit.record("application.extend", locked, actor=by, org_id=locked.org_id, data={
            "request": current.pk, "requested_by": current.requested_by_id, "days": current.days,
            "total": used_days(locked), "reason": current.reason, "on": on, "due_before": before,
            "comment": comment, "backdate_reason": backdate_reason, "direct": False,
            "letter": letters.letter_facts(letter),
        })
        return current

    return _run(step)


def refuse_extension_request(ask: ExtensionRequest, by, *, reason: str) -> ExtensionRequest:
    """驳回延期申请: the deadline stays; the reason is recorded for the handler."""
    app = ask.application
    if not can_decide(by, app):
        raise NotAllowed(str(REFUSE_REFUSED))
    errors: list[str] = []
    reason = _reason(reason, errors, _("驳回理由"))
    if errors:
        raise _invalid(_("不能驳回延期申请："), errors)
    with transaction.atomic():
        locked = lock(app)
        ask = ExtensionRequest.objects.select_for_update().get(pk=ask.pk)
        ask.state = next_extension_state(ask.state, ExtensionAction.REFUSE)
        ask.decided_by, ask.decided_at, ask.decision_comment = by, timezone.now(), reason
        ask.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
        audit.record("application.extension_refuse", locked, actor=by, org_id=locked.org_id, data={
            "request": ask.pk, "requested_by": ask.requested_by_id, "days": ask.days, "reason": reason,
        })
    return ask


def extend_directly(app: Application, by, *, days: int, reason: str, on: date,
                    backdate_reason: str = "") -> Application:
    """The head of the disclosure office extends without a request: a request approved in the same
    step, with the same date discipline and the same letter."""
    if not can_decide(by, app):
        raise NotAllowed(str(DIRECT_REFUSED))
    errors: list[str] = []
    reason = _reason(reason, errors, _("延期理由"))
    if errors:
        raise _invalid(_("不能批准延期："), errors)
    backdate_reason = _decision_input(app, on, backdate_reason, days=days)

    def step(written):
        locked = lock(app)
        if pending(locked) is not None:
            raise IllegalTransition(_("该申请已有待审批的延期申请，请直接批准或驳回该申请。"))
        ask = ExtensionRequest.objects.create(application=locked, days=days, reason=reason, requested_by=by,
                                              requested_on=on, direct=True)
        event, letter, before = _approve(locked, ask, by, on, backdate_reason, written)
        audit.record("application.extend", locked, actor=by, org_id=locked.org_id, data={
            "request": ask.pk, "days": days, "total": used_days(locked), "reason": reason, "on": on,
            "due_before": before, "backdate_reason": backdate_reason, "direct": True,
            "letter": letters.letter_facts(letter),
        })
        return locked

    return _run(step)
