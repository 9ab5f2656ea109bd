"""Closing a case without a reply: 程序性办结 (逾期不补正, 逾期未缴费, 补正后仍不明确, 其他) and the
applicant's withdrawal. A reply closes the case through replies.py (``reply`` is re-exported
here so that the closing actions read together)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput

from .. import law
from ..models import Application
from ..workflow import Action
from .common import check_clock_date, lock, move, require, text
from .replies import reply

__all__ = ["close_by_process", "reply", "withdraw"]


def close_by_process(app: Application, by, *, outcome: str, on: date, backdate_reason: str = "") -> Application:
    """Closure by what happened: 逾期不补正 (6.1), 逾期未缴费 (6.2), 补正后仍不明确 (4.3), 其他 (6.3)."""
    require(by, app)
    problem = law.check_pair(law.BY_PROCESS, outcome)
    if problem:
        raise InvalidInput(problem)
    return _close(app, by, Action.CLOSE_BY_PROCESS, outcome, on, backdate_reason)


def withdraw(app: Application, by=None, *, on: date, backdate_reason: str = "") -> Application:
    """The applicant withdraws (online with tracking code, or registered by staff): 其他处理 (6.3)."""
    if by is not None:
        require(by, app)
    return _close(app, by, Action.WITHDRAW, "6.3", on, backdate_reason)


def _close(app, by, action, outcome, on, backdate_reason=""):
    """Closure without a reply (by process, withdrawal); a reply closes through replies.reply.
    The closing date keeps the clock actions' date discipline (check_clock_date)."""
    if not law.is_valid_outcome(outcome):
        raise InvalidInput(_("办理结果代码“%(code)s”不正确。") % {"code": outcome})
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("办结日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("不能办结："), details=errors)
    with transaction.atomic():
        app = lock(app)
        old, new = move(app, action)
        app.outcome, app.closed_date = outcome, on
        app.save(update_fields=["state", "outcome", "closed_date"])
        audit.record(f"application.{action}", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "outcome": outcome, "reply_type": "", "on": on, "backdate_reason": backdate_reason,
        })
    return app
