"""The applicant's view of a case, step by step (issue #14: "the status page shows a timeline of the
case with the 补正 items, days left, and the letters").

Derived, never stored: the receipt date, the clock events (each with its legal basis), the letters
issued to the applicant and the closing. Only what the applicant may see: a consultation names no
third party; internal notes and approvers are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Application, ClockEvent

K = ClockEvent.Kind


@dataclass(frozen=True)
class Step:
    on: date
    title: str
    detail: str = ""


def _event_steps(event: ClockEvent) -> list[Step]:
    if event.kind == K.CORRECTION_REQUESTED:
        detail = _("需要补正的事项：%(items)s") % {"items": event.reason.rstrip("。；;. ")}
        if event.end:
            detail += _("；请于%(until)s前补正（条例第30条）") % {"until": event.end.isoformat()}
        return [Step(event.start, _("受理机关告知补正"), detail)]
    if event.kind == K.CORRECTION_RECEIVED:
        return [Step(event.start, _("收到补正"), _("答复期限自此日重新计算（条例第30条）"))]
    if event.kind == K.CONSULTATION:
        steps = [Step(event.start, _("征求第三方意见"), _("征求意见期间不计入答复期限（条例第32、33条）"))]
        if event.end:
            steps.append(Step(event.end, _("征求意见结束"), _("答复期限继续计算")))
        return steps
    if event.kind == K.EXTENSION:
        return [Step(event.start, _("延期答复"), _("延长%(days)s个工作日（条例第33条第二款）；理由：%(reason)s")
                     % {"days": event.days or 0, "reason": event.reason or "—"})]
    if event.kind == K.FEE:
        steps = [Step(event.start, _("收费通知"), _("自收费通知至缴费期间不计入答复期限"))]
        if event.end:
            steps.append(Step(event.end, _("已缴费"), _("答复期限继续计算")))
        return steps
    if event.kind == K.ART35_DATE:
        return [Step(event.start, _("另行确定答复期限"), _("依条例第35条确定的答复期限：%(on)s")
                     % {"on": (event.end or event.start).isoformat()})]
    return []


def applicant_timeline(app: Application, letters=(), outcome_text: str = "") -> list[Step]:
    """The case's steps in date order (ties in the order they happened)."""
    steps = [Step(app.received_date, _("收到申请"), _("答复期限自此日起计算（条例第31、33条）"))]
    for event in app.clock_events.order_by("start", "id"):
        steps.extend(_event_steps(event))
    for letter in letters:
        steps.append(Step(timezone.localtime(letter.issued_at).date(), _("文书：%(title)s") % {"title": letter.title},
                          letter.number))
    if app.closed_date:
        steps.append(Step(app.closed_date, _("办结"), outcome_text))
    return sorted(steps, key=lambda s: s.on)


def open_correction(app: Application) -> ClockEvent | None:
    """The correction notice the applicant has still to answer, if any."""
    return app.clock_events.filter(kind=K.CORRECTION_REQUESTED).order_by("-start", "-id").first()
