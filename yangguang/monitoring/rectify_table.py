"""The states of a rectification (整改) item, as one table (spec/monitoring.md "Rectification").

Only a measurement can close an item: the MEASURE_PASS action is taken by the engine when a
re-measurement of the same indicator for the same org passes; no user action leads to CLOSED.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class State(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已答复")
    CLAIMED = "claimed", _("已报整改待复测")
    FALSE_CLAIM = "false", _("虚报整改")
    CLOSED = "closed", _("已销号")


class Action(models.TextChoices):
    ANSWER = "answer", _("答复整改情况")
    CLAIM_FIXED = "claim", _("报告已整改")
    MEASURE_PASS = "pass", _("复测合格")
    MEASURE_FAIL = "fail", _("复测仍不合格")


S, A = State, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.OPEN, A.ANSWER): S.ANSWERED,
    (S.OPEN, A.CLAIM_FIXED): S.CLAIMED,
    (S.OPEN, A.MEASURE_PASS): S.CLOSED,
    (S.ANSWERED, A.ANSWER): S.ANSWERED,
    (S.ANSWERED, A.CLAIM_FIXED): S.CLAIMED,
    (S.ANSWERED, A.MEASURE_PASS): S.CLOSED,
    (S.CLAIMED, A.MEASURE_PASS): S.CLOSED,
    (S.CLAIMED, A.MEASURE_FAIL): S.FALSE_CLAIM,
    (S.FALSE_CLAIM, A.ANSWER): S.ANSWERED,
    (S.FALSE_CLAIM, A.CLAIM_FIXED): S.CLAIMED,
    (S.FALSE_CLAIM, A.MEASURE_PASS): S.CLOSED,
}

OPEN_STATES = (S.OPEN, S.ANSWERED, S.CLAIMED, S.FALSE_CLAIM)


def next_state(state: str, action: str) -> str:
    return step(TRANSITIONS, state, action, states=State, actions=Action, noun="整改事项")
