"""Transition tables: every state machine is a dict {(state, action): new state}; anything not
in it is refused with one clear message."""

from django.utils.translation import gettext as _

from .errors import IllegalTransition


def step(table: dict[tuple[str, str], str], state: str, action: str, *, states, actions, noun: str) -> str:
    try:
        return table[(state, action)]
    except KeyError:
        raise IllegalTransition(
            _("不允许的操作：处于“%(state)s”状态的%(noun)s不能执行“%(action)s”。")
            % {"state": states(state).label, "noun": noun, "action": actions(action).label}
        ) from None
