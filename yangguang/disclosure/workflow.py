"""The states of a 依申请公开 application, as one table (spec/disclosure.md "The clock").

Pauses (consultation, fee) and extensions are dated events on the clock, not states of
their own, except where they change what the handler may do next.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class State(models.TextChoices):
    RECEIVED = "received", _("已收到")
    CORRECTION = "correction", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("办理中")
    CONSULTING = "consulting", _("征求第三方意见中")
    FEE_PENDING = "fee_pending", _("待缴费")
    CLOSED = "closed", _("已办结")


class Action(models.TextChoices):
    REQUEST_CORRECTION = "request_correction", _("告知补正")
    RECEIVE_CORRECTION = "receive_correction", _("收到补正")
    ACCEPT = "accept", _("受理")
    ASSIGN = "assign", _("分办")
    START_CONSULTATION = "start_consultation", _("征求第三方意见")
    END_CONSULTATION = "end_consultation", _("第三方意见期满或已答复")
    EXTEND = "extend", _("延期答复")
    ISSUE_FEE_NOTICE = "issue_fee_notice", _("发出收费通知")
    RECORD_PAYMENT = "record_payment", _("缴费")
    REPLY = "reply", _("答复办结")
    CLOSE_BY_PROCESS = "close_by_process", _("程序性办结")
    WITHDRAW = "withdraw", _("申请人撤回")


S, A = State, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, A.REQUEST_CORRECTION): S.CORRECTION,
    (S.RECEIVED, A.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, A.REPLY): S.CLOSED,  # 当场答复 (条例第33条第一款)
    (S.CORRECTION, A.RECEIVE_CORRECTION): S.ACCEPTED,
    (S.CORRECTION, A.CLOSE_BY_PROCESS): S.CLOSED,  # 逾期不补正, 视为放弃 (第30条)
    (S.ACCEPTED, A.ASSIGN): S.ASSIGNED,
    (S.ACCEPTED, A.REPLY): S.CLOSED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,  # re-assignment to another department
    (S.ASSIGNED, A.START_CONSULTATION): S.CONSULTING,
    (S.CONSULTING, A.END_CONSULTATION): S.ASSIGNED,
    (S.ASSIGNED, A.EXTEND): S.ASSIGNED,
    (S.CONSULTING, A.EXTEND): S.CONSULTING,
    (S.ASSIGNED, A.ISSUE_FEE_NOTICE): S.FEE_PENDING,
    (S.FEE_PENDING, A.RECORD_PAYMENT): S.ASSIGNED,
    (S.FEE_PENDING, A.CLOSE_BY_PROCESS): S.CLOSED,  # 逾期未缴费, 视为放弃 (国办函〔2020〕109号)
    (S.ASSIGNED, A.REPLY): S.CLOSED,
}
# The applicant may withdraw at any point before the case is closed.
for _state in (S.RECEIVED, S.CORRECTION, S.ACCEPTED, S.ASSIGNED, S.CONSULTING, S.FEE_PENDING):
    TRANSITIONS[(_state, A.WITHDRAW)] = S.CLOSED

OPEN_STATES = frozenset(s for s in State.values if s != S.CLOSED)


def next_state(state: str, action: str) -> str:
    return step(TRANSITIONS, state, action, states=State, actions=Action, noun="申请")


# --- 延期申请 (ExtensionRequest): requested → approved / refused --------------------------------


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已驳回")


class ExtensionAction(models.TextChoices):
    APPROVE = "approve", _("批准延期")
    REFUSE = "refuse", _("驳回延期申请")


EXTENSION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ExtensionState.REQUESTED, ExtensionAction.APPROVE): ExtensionState.APPROVED,
    (ExtensionState.REQUESTED, ExtensionAction.REFUSE): ExtensionState.REFUSED,
}


def next_extension_state(state: str, action: str) -> str:
    return step(EXTENSION_TRANSITIONS, state, action, states=ExtensionState, actions=ExtensionAction,
                noun=str(_("延期申请")))
