"""The review workflow of an edition, as one table.

Every state change of an edition goes through `transition()`; any (state, action)
pair not in TRANSITIONS is refused with a clear message. Who may take an action is
checked by the services, which call this.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审定")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本替代")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISCARDED = "discarded", _("已作废")


class Action(models.TextChoices):
    SUBMIT = "submit", _("送审")
    APPROVE = "approve", _("审核通过（转下一级）")
    APPROVE_FINAL = "approve_final", _("审定")
    RETURN = "return", _("退回")
    SCHEDULE = "schedule", _("定时发布")
    UNSCHEDULE = "unschedule", _("取消定时")
    PUBLISH = "publish", _("发布")
    URGENT_PUBLISH = "urgent_publish", _("紧急发布")
    SUPERSEDE = "supersede", _("被新版本替代")
    WITHDRAW = "withdraw", _("撤回")
    DISCARD = "discard", _("作废")


S, A = State, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.SUBMITTED,  # to the next level of the chain
    (S.SUBMITTED, A.APPROVE_FINAL): S.APPROVED,  # the last level
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.APPROVED, A.PUBLISH): S.PUBLISHED,
    (S.APPROVED, A.SCHEDULE): S.SCHEDULED,
    (S.SCHEDULED, A.PUBLISH): S.PUBLISHED,
    (S.SCHEDULED, A.UNSCHEDULE): S.APPROVED,
    (S.DRAFT, A.URGENT_PUBLISH): S.PUBLISHED,
    (S.RETURNED, A.URGENT_PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.SUPERSEDE): S.SUPERSEDED,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
    (S.DRAFT, A.DISCARD): S.DISCARDED,
    (S.RETURNED, A.DISCARD): S.DISCARDED,
}

EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# States in which an edition is "in the pipeline": a document has at most one such edition.
OPEN_STATES = frozenset({S.DRAFT, S.RETURNED, S.SUBMITTED, S.APPROVED, S.SCHEDULED})


def allowed_actions(state: str) -> list[str]:
    return [action for (st, action) in TRANSITIONS if st == state]


def next_state(state: str, action: str) -> str:
    return step(TRANSITIONS, state, action, states=State, actions=Action, noun="文件")


def transition(edition, action: str) -> tuple[str, str]:
    """Move `edition` by `action`; returns (old state, new state). The caller saves."""
    old = edition.state
    edition.state = next_state(old, action)
    return old, edition.state
