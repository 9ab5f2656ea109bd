"""The statutory clock of an application, derived from its history (spec/disclosure.md "The clock").

Nothing here is stored: the due date is recomputed from the receipt date and the dated clock
events on every read, on the official calendar. Pure functions; the caller passes the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from yangguang.core.workdays import Calendar

# The numbers, with their legal sources, live in law.py.
from .law import DUE_SOON_DAYS, EXTENSION_MAX_DAYS, REPLY_DAYS, THIRD_PARTY_DAYS

__all__ = ["DUE_SOON_DAYS", "EXTENSION_MAX_DAYS", "REPLY_DAYS", "THIRD_PARTY_DAYS", "Clock", "Event", "compute"]

CORRECTION_REQUESTED = "correction_requested"
CORRECTION_RECEIVED = "correction_received"
CONSULTATION = "consultation"
EXTENSION = "extension"
FEE = "fee"
ART35_DATE = "art35_date"


@dataclass(frozen=True)
class Event:
    kind: str
    start: date
    end: date | None = None
    days: int | None = None


@dataclass
class Clock:
    start: date  # the day the 20 working days count from (receipt, or receipt of the correction)
    due: date | None  # None while waiting for a correction
    provisional: bool = False
    paused_now: bool = False
    awaiting_correction: bool = False
    extension_days: int = 0
    paused_days: int = 0
    lines: list[str] = field(default_factory=list)

    def remaining(self, calendar: Calendar, today: date) -> int | None:
        """Working days left until the due date (negative: overdue by that many)."""
        if self.due is None:
            return None
        if today <= self.due:
            return calendar.count_working_days(today, self.due)
        return -calendar.count_working_days(self.due, today)

    def light(self, calendar: Calendar, today: date) -> str:
        """green / yellow (≤ DUE_SOON_DAYS left) / red (due today) / overdue; paused while paused."""
        if self.awaiting_correction:
            return "paused"
        left = self.remaining(calendar, today)
        if left is None:
            return "paused"
        if left < 0:
            return "overdue"
        if today == self.due or left == 0:
            return "red"
        return "yellow" if left <= DUE_SOON_DAYS else "green"


def _fmt(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def compute(received: date, events: Iterable[Event], calendar: Calendar, today: date, *,
            fee_pause: bool = True) -> Clock:
    events = sorted(events, key=lambda e: (e.start, e.kind))
    lines = [f"收到申请之日：{_fmt(received)}（条例第31条）"]
    start = received
    requests = [e for e in events if e.kind == CORRECTION_REQUESTED]
    if requests:
        last = requests[-1]
        answered = [e for e in events if e.kind == CORRECTION_RECEIVED and e.start >= last.start]
        if not answered:
            period = f"，补正期限至{_fmt(last.end)}" if last.end else ""
            lines.append(f"{_fmt(last.start)} 告知补正（条例第30条）{period}；收到补正后重新计算答复期限")
            return Clock(start=received, due=None, awaiting_correction=True, lines=lines)
        start = answered[0].start
        lines.append(f"{_fmt(answered[0].start)} 收到补正，答复期限自该日起重新计算（条例第30条）")

    ext = sum(e.days or 0 for e in events if e.kind == EXTENSION)
    base = calendar.add_working_days(start, REPLY_DAYS)
    provisional = base.provisional
    due = base.date
    lines.append(f"自{_fmt(start)}次日起{REPLY_DAYS}个工作日（条例第33条第二款）→ {_fmt(due)}")
    paused_total = 0
    paused_now = False
    for e in events:
        if e.kind not in (CONSULTATION, FEE) or (e.kind == FEE and not fee_pause):
            continue
        if e.start > due:
            continue  # a pause that begins after the deadline cannot revive it
        state = ""
        if e.end is not None:
            end = e.end
        elif e.kind == CONSULTATION:
            limit = calendar.add_working_days(e.start, THIRD_PARTY_DAYS)
            provisional |= limit.provisional
            if limit.date <= today:
                end, state = limit.date, f"（未答复，{THIRD_PARTY_DAYS}个工作日期满）"
            else:
                end, state, paused_now = today, "（进行中，计至今日）", True
        else:
            end, state, paused_now = today, "（进行中，计至今日）", True
        days = calendar.count_working_days(e.start, end)
        if days:
            moved = calendar.add_working_days(due, days)
            provisional |= moved.provisional
            due = moved.date
        paused_total += days
        what = "征求第三方意见（条例第32条、第33条第三款）" if e.kind == CONSULTATION else "收费通知至缴费（国办函〔2020〕109号）"
        lines.append(f"{_fmt(e.start)} 至 {_fmt(end)}{state} {what}：{days}个工作日不计入 → {_fmt(due)}")
    for e in events:
        if e.kind == EXTENSION and e.days:
            moved = calendar.add_working_days(due, e.days)
            provisional |= moved.provisional
            due = moved.date
            lines.append(f"{_fmt(e.start)} 批准延期{e.days}个工作日（条例第33条第二款）→ {_fmt(due)}")
    art35 = [e for e in events if e.kind == ART35_DATE]
    if art35:
        due = art35[-1].start
        lines.append(f"依条例第35条另行确定并告知申请人的答复期限 → {_fmt(due)}")
    if provisional:
        lines.append("（暂定：计算所涉年份的节假日安排尚未录入，录入后自动重算）")
    return Clock(start=start, due=due, provisional=provisional, paused_now=paused_now,
                 extension_days=ext, paused_days=paused_total, lines=lines)
