"""Transition tables: every state machine is a dict {(state, action): new state}; anything not
in it is refused with one clear message."""

from .errors import IllegalTransition


def step(table: dict[tuple[str, str], str], state: str, action: str, *, states, actions, noun: str) -> str:
    try:
        return table[(state, action)]
    except KeyError:
        raise IllegalTransition(
            f"不允许的操作：处于“{states(state).label}”状态的{noun}不能执行“{actions(action).label}”。"
        ) from None
