"""Helpers shared by the 依申请公开 services: the permission check of the people handling a case,
the locked application, a state move, free text, and the date discipline of the clock (the due
date is never stored: it is computed from the receipt date and the clock events, see clock.py)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import validators
from yangguang.core.errors import IllegalTransition, NotAllowed
from yangguang.core.text import clean_multiline
from yangguang.core.workdays import Calendar
from yangguang.orgs import permissions

from .. import clock, law
from ..models import Application, ClockEvent
from ..workflow import State, next_state

# The refusals of the permission questions (orgs/permissions.py), one text each: the services,
# the action table (disclosure/actions.py) and the workbench give the same answer.
NOT_HANDLER = gettext_lazy("您不是该申请的受理或承办人员。")
ASSIGN_REFUSED = gettext_lazy("只有受理机关的政务公开办可以分办申请。")


def require(user, app: Application) -> None:
    """The people handling the case (permissions.handles), or NotAllowed."""
    if not permissions.handles(user, app):
        raise NotAllowed(str(NOT_HANDLER))


def move(app: Application, action: str) -> tuple[str, str]:
    """The application's state after ``action`` (the state table refuses an illegal one)."""
    old = app.state
    app.state = next_state(old, action)
    return old, app.state


def lock(app: Application) -> Application:
    """The application re-read and locked for the rest of the transaction."""
    return Application.objects.select_for_update().get(pk=app.pk)


def text(value: str | None) -> str:
    """A free-text argument (reason, items, party, note), cleaned of controls and bidi overrides."""
    return clean_multiline(value)


def check_date(value, label: str, errors: list[str], *, not_before: date | None = None) -> None:
    """Not in the future, not before ``not_before`` nor the 条例 (core/validators.py)."""
    validators.gather(errors, validators.check_date, value, label, not_before=not_before)


def add_event(app, kind, start, *, by, basis, **extra) -> ClockEvent:
    return ClockEvent.objects.create(application=app, kind=kind, start=start, basis=basis, actor=by, **extra)


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
    check_date(on, label, errors, not_before=app.received_date)
    if len(errors) > before or not isinstance(on, date):
        return
    last = last_clock_date(app)
    if on < last:
        errors.append(_("%(label)s不能早于该申请上一次期限事件的日期（%(last)s）：期限事件须按发生的先后登记。")
                      % {"label": label, "last": f"{last:%Y-%m-%d}"})
    if on < timezone.localdate() and not backdate_reason:
        errors.append(_("%(label)s早于今天：补录以前的日期须写明补录理由。") % {"label": label})


def fee_pause_setting() -> bool:
    from django.conf import settings

    return getattr(settings, "DISCLOSURE_FEE_PAUSE", law.FEE_PAUSE_DEFAULT)


def events_of(app: Application) -> list[clock.Event]:
    return [clock.Event(e.kind, e.start, e.end, e.days) for e in app.clock_events.all()]


def due_on(app: Application, day: date) -> date | None:
    """The reply deadline as it stood on ``day`` (clock.due_on over the stored events)."""
    return clock.due_on(app.received_date, events_of(app), Calendar.from_db(), day, fee_pause=fee_pause_setting())


def check_within_due(app: Application, on: date, what: str) -> None:
    """条例第33条第二款: a clock action that would move the deadline (extension, consultation, fee
    notice, correction) must be taken on or before the deadline; once it has passed the
    application is overdue, and stays so. Refused with IllegalTransition (409 in the API)."""
    due = due_on(app, on)
    if due is not None and on > due:
        raise IllegalTransition(
            _("答复期限已于%(due)s届满，该申请已超期，不能再于%(on)s%(what)s（条例第33条第二款：延期等须在答复期限内"
              "办理并告知申请人）。请尽快答复。") % {"due": f"{due:%Y-%m-%d}", "on": f"{on:%Y-%m-%d}", "what": what})


def clock_of(app: Application, calendar: Calendar | None = None, today: date | None = None,
             fee_pause: bool | None = None) -> clock.Clock:
    """The application's clock today; a closed application's as of its closed date (clock.compute)."""
    closed = app.closed_date if app.state == State.CLOSED else None
    return clock.compute(app.received_date, events_of(app), calendar or Calendar.from_db(),
                         today or timezone.localdate(), fee_pause=fee_pause_setting() if fee_pause is None else fee_pause,
                         closed=closed)
