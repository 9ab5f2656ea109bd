"""What the case page offers each user (issue #14: "a workbench that leads"): exactly the actions
they may take on this application now, and for the actions they would expect but cannot take,
the reason. It asks the same rules the services enforce — the state table (workflow.TRANSITIONS),
who handles the case, who distributes it and who decides extensions (yangguang.orgs.permissions:
handles, can_assign, can_decide_extension), the deadline discipline (services.due_on) — so a form shown is a
form that works, and a refusal is explained before the click rather than after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.orgs import permissions

from . import services
from .models import Application, ClockEvent
from .workflow import TRANSITIONS, Action, State

# The state actions of the case page, in the order a case goes through them.
STEPS: tuple[tuple[str, object], ...] = (
    (Action.ACCEPT, gettext_lazy("受理")),
    (Action.REQUEST_CORRECTION, gettext_lazy("告知补正")),
    (Action.RECEIVE_CORRECTION, gettext_lazy("登记收到补正")),
    (Action.ASSIGN, gettext_lazy("分办")),
    (Action.START_CONSULTATION, gettext_lazy("征求第三方意见")),
    (Action.END_CONSULTATION, gettext_lazy("结束征求意见")),
    (Action.ISSUE_FEE_NOTICE, gettext_lazy("收费通知")),
    (Action.RECORD_PAYMENT, gettext_lazy("登记缴费")),
    (Action.REPLY, gettext_lazy("答复办结")),
    (Action.CLOSE_BY_PROCESS, gettext_lazy("程序性办结")),
)
# Actions that move the deadline: only on or before it (条例第33条第二款; services.check_within_due).
CLOCK_ACTIONS = (Action.REQUEST_CORRECTION, Action.START_CONSULTATION, Action.ISSUE_FEE_NOTICE)
ARTICLE35 = "article35"

# Why the reply is not possible in a state (the handler expects it in every open state).
REPLY_WAITS = {
    State.CORRECTION: gettext_lazy("等待申请人补正：收到补正后才能答复；申请人无正当理由逾期不补正的，可以程序性办结（条例第30条）。"),
    State.CONSULTING: gettext_lazy("正在征求第三方意见：第三方答复或期满、结束征求意见后才能答复（条例第32条）。"),
    State.FEE_PENDING: gettext_lazy("等待申请人缴费：登记缴费后才能答复；逾期未缴费的，可以程序性办结（国办函〔2020〕109号）。"),
}


@dataclass(frozen=True)
class Unavailable:
    label: str
    reason: str


@dataclass
class Workbench:
    """``can[action]``: the forms to show; ``unavailable``: expected actions with their reason;
    ``note``: who this user is for the case when they handle none of it."""

    can: dict[str, bool] = field(default_factory=dict)
    unavailable: list[Unavailable] = field(default_factory=list)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not any(self.can.values())


def _deadline_problem(app: Application, today: date) -> str | None:
    due = services.due_on(app, today)
    if due is not None and today > due:
        return _("答复期限已于%(due)s届满，申请已超期，不能再办理会改变期限的事项（条例第33条第二款）。请尽快答复。") % {
            "due": f"{due:%Y-%m-%d}"}
    return None


def _problem(user, app: Application, action: str, today: date) -> str | None:
    """Why ``user`` cannot take ``action`` (allowed by the state table) now, or None."""
    if action == Action.ASSIGN:
        return None if permissions.can_assign(user, app) else str(services.ASSIGN_REFUSED)
    if not permissions.handles(user, app):
        return _("只有受理机关的政务公开办或承办人员可以办理。")
    if action == Action.REQUEST_CORRECTION and app.clock_events.filter(
            kind=ClockEvent.Kind.CORRECTION_REQUESTED).exists():
        return _("补正只能告知一次（条例第30条）。")
    if action in CLOCK_ACTIONS:
        return _deadline_problem(app, today)
    return None


def for_user(user, app: Application, today: date) -> Workbench:
    handles = permissions.handles(user, app)
    decides = permissions.can_decide_extension(user, app)
    bench = Workbench()
    if app.state == State.CLOSED:
        return bench
    if not handles and not decides:
        who = app.assigned_org.name if app.assigned_org_id else _("尚未分办")
        bench.note = _("您可以查看本申请，但不是它的受理或承办人员：由%(org)s政务公开办受理，承办机构：%(who)s。") % {
            "org": app.org.name, "who": who}
        return bench
    if decides and not handles:
        bench.note = _("您是受理机关政府信息公开工作机构负责人：延期由您批准或驳回（条例第33条第二款）。"
                       "受理、分办和答复由政务公开办和承办人办理。")
    for action, label in STEPS:
        if action == Action.ASSIGN and app.state != State.ACCEPTED and not permissions.can_assign(user, app):
            continue  # re-assigning an assigned case is the office's business; nobody else expects it
        if (app.state, action) not in TRANSITIONS:
            if action == Action.REPLY and handles and app.state in REPLY_WAITS:
                bench.unavailable.append(Unavailable(str(label), str(REPLY_WAITS[app.state])))
            continue
        problem = _problem(user, app, action, today)
        if problem is None:
            bench.can[action] = True
        elif handles:  # a leader who only decides extensions is not expected to do the rest
            bench.unavailable.append(Unavailable(str(label), problem))
    if handles:
        problem = _deadline_problem(app, today)
        bench.can[ARTICLE35] = problem is None
        if problem:
            bench.unavailable.append(Unavailable(_("第35条：另行确定答复期限"), problem))
    bench.unavailable = _grouped(bench.unavailable)
    return bench


def _grouped(items: list[Unavailable]) -> list[Unavailable]:
    """One line per reason: "告知补正、征求第三方意见：<the reason>"."""
    labels: dict[str, list[str]] = {}
    for item in items:
        labels.setdefault(item.reason, []).append(item.label)
    return [Unavailable("、".join(names), reason) for reason, names in labels.items()]
