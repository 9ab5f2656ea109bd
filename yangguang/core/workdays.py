"""The legal clock: working days on the official calendar (spec/disclosure.md, "The official calendar").

Rules, each with its source:

- A weekday (Monday–Friday) is a working day and Saturday/Sunday are not — 《国务院关于职工工作时间的
  规定》(国务院令第174号) 第三条、第七条 — unless the State Council's yearly notice
  《国务院办公厅关于YYYY年部分节假日安排的通知》 lists the day as a day off (放假) or as a weekend day
  worked (调休上班); holidays per 《全国年节及纪念日放假办法》(2024 revision). The notices are data:
  `core.CalendarYear` / `core.CalendarDay`, seeded from chinesecalendar, edited in the admin,
  loaded from a file (`yangguang.core.calendar_seed`).
- The day on which a period starts is not counted; counting starts the next day —
  《民法典》第二百零一条第一款. So "N working days from D" is the N-th working day strictly after D
  (e.g. the reply deadline of 条例第33条, 20 working days from the receipt date of 条例第31条). Since
  the result is always a working day, 《民法典》第二百零三条 (a period ending on a holiday ends on
  the next working day) is satisfied by construction.
- A day in a year whose schedule is not loaded is counted on the weekday rule and marked 暂定
  (provisional), with the reason — never a silent guess, never a crash. Nothing derived from the
  calendar is stored, so loading the year recomputes every such deadline on its next read.

`Calendar` is an immutable value; `Calendar.from_db()` returns one loaded from the database, cached
per process and reloaded whenever the `CalendarYear` table changes (its row count and latest
`updated_at`, one cheap query), so two web workers never disagree for longer than one request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
WEEKDAY = "weekday"
WEEKEND = "weekend"
WEEKDAY_NAMES = (gettext_lazy("周一"), gettext_lazy("周二"), gettext_lazy("周三"), gettext_lazy("周四"),
                 gettext_lazy("周五"), gettext_lazy("周六"), gettext_lazy("周日"))
ONE_DAY = timedelta(days=1)


def weekday_name(d: date) -> str:
    return str(WEEKDAY_NAMES[d.weekday()])


def provisional_reason(year: int) -> str:
    return _("暂定：%(year)d年节假日安排未录入，按周一至周五计算") % {"year": year}


def _reason_text(kind: str, name: str = "", provisional_year: int | None = None) -> str:
    """DayInfo.reason: "工作日", "周末", "法定节假日：国庆节、中秋节", "调休上班：国庆节、中秋节",
    or for a year not loaded "暂定：2031年节假日安排未录入，按周一至周五计算" ("周末（暂定：…）")."""
    if provisional_year is not None:
        reason = provisional_reason(provisional_year)
        return _("周末（%(reason)s）") % {"reason": reason} if kind == WEEKEND else reason
    if kind == HOLIDAY:
        return _("法定节假日：%(name)s") % {"name": name}
    if kind == MAKEUP_WORKDAY:
        return _("调休上班：%(name)s") % {"name": name}
    return _("周末") if kind == WEEKEND else _("工作日")


_reason = lazy(_reason_text, str)


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day, and why."""

    date: date
    working: bool
    # a lazy string, see _reason_text: "工作日", "周末", "法定节假日：国庆节、中秋节", …
    reason: str
    kind: str = WEEKDAY  # WEEKDAY, WEEKEND, HOLIDAY or MAKEUP_WORKDAY
    name: str = ""  # the holiday's name for HOLIDAY / MAKEUP_WORKDAY
    provisional: bool = False  # the day's year is not loaded

    @property
    def weekday(self) -> str:
        return weekday_name(self.date)


@dataclass(frozen=True)
class Result:
    """The N-th working day after `start`, with every day examined on the way (start excluded)."""

    start: date
    n: int
    date: date
    provisional: bool
    steps: tuple[DayInfo, ...] = field(default=())

    @property
    def provisional_years(self) -> list[int]:
        return sorted({s.date.year for s in self.steps if s.provisional})


class Calendar:
    """The official calendar: the exceptions to the weekday rule and the years they are complete for."""

    def __init__(self, days: Mapping[date, tuple[str, str]], loaded_years: Iterable[int]):
        """`days` maps a date to (kind, name), kind HOLIDAY or MAKEUP_WORKDAY; `loaded_years` are
        the years whose schedule is loaded (a loaded year may have no exceptions at all)."""
        self._days = dict(days)
        self._loaded = frozenset(loaded_years)
        stray = {d.year for d in self._days} - self._loaded
        if stray:
            raise ValueError(_("节假日数据所属年份未标记为已录入：%(years)s") % {"years": sorted(stray)})

    @classmethod
    def from_db(cls) -> Calendar:
        """The calendar in the database, cached per process until `CalendarYear` changes."""
        global _cache
        from django.db.models import Count, Max

        from .models_calendar import CalendarDay, CalendarYear

        version = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
        key = (version["n"], version["t"])
        cached = _cache
        if cached is not None and cached[0] == key:
            return cached[1]
        loaded = list(CalendarYear.objects.values_list("year", flat=True))
        days = {d: (kind, name) for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name")}
        calendar = cls(days, loaded)
        _cache = (key, calendar)
        return calendar

    @property
    def loaded_years(self) -> frozenset[int]:
        return self._loaded

    def loaded(self, year: int) -> bool:
        """Whether `year`'s holiday schedule is loaded."""
        return year in self._loaded

    def info(self, d: date) -> DayInfo:
        """Whether `d` is a working day, and the reason (translated when read: the clock asks this
        for every day it counts, and a gettext call costs more than the rest of the day's work)."""
        weekend = d.weekday() >= 5
        if not self.loaded(d.year):
            kind = WEEKEND if weekend else WEEKDAY
            return DayInfo(d, not weekend, _reason(kind, "", d.year), kind, provisional=True)
        exception = self._days.get(d)
        if exception is not None:
            kind, name = exception
            if kind == HOLIDAY:
                return DayInfo(d, False, _reason(HOLIDAY, name), HOLIDAY, name)
            if kind == MAKEUP_WORKDAY:
                return DayInfo(d, True, _reason(MAKEUP_WORKDAY, name), MAKEUP_WORKDAY, name)
        if weekend:
            return DayInfo(d, False, _reason(WEEKEND), WEEKEND)
        return DayInfo(d, True, _reason(WEEKDAY), WEEKDAY)

    def is_working_day(self, d: date) -> bool:
        """`info(d).working` without building the reason."""
        if d.year in self._loaded:
            exception = self._days.get(d)
            if exception is not None and exception[0] in (HOLIDAY, MAKEUP_WORKDAY):
                return exception[0] == MAKEUP_WORKDAY
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> Result:
        """The N-th working day strictly after `start` (《民法典》第二百零一条: the start day is not
        counted). n == 0 returns `start` itself, unchanged and not provisional, even when `start` is
        not a working day: no day is counted. Raises ValueError for n < 0 or beyond the year 9999."""
        if n < 0:
            raise ValueError(_("工作日数不能为负数"))
        steps: list[DayInfo] = []
        d, counted = start, 0
        try:
            while counted < n:
                d += ONE_DAY
                info = self.info(d)
                steps.append(info)
                counted += info.working
        except OverflowError as e:
            raise ValueError(_("超出可计算的日期范围")) from e
        return Result(start, n, d, any(s.provisional for s in steps), tuple(steps))

    def count_working_days(self, start: date, end: date) -> int:
        """Working days in (start, end]: the start day is not counted, the end day is. 0 if end <= start."""
        total, d = 0, start
        while d < end:
            d += ONE_DAY
            total += self.is_working_day(d)
        return total


_cache: tuple[tuple, Calendar] | None = None


def add_working_days(start: date, n: int) -> Result:
    """`Calendar.add_working_days` on the calendar in the database."""
    return Calendar.from_db().add_working_days(start, n)


def count_working_days(start: date, end: date) -> int:
    return Calendar.from_db().count_working_days(start, end)


def is_working_day(d: date) -> bool:
    return Calendar.from_db().is_working_day(d)


# --- the day-by-day explanation (the `workdays explain` command, the deadline calculator page) ---


@dataclass(frozen=True)
class ExplainedDay:
    info: DayInfo
    ordinal: int  # 1-based number of the working day, 0 for a day not counted
    text: str  # "第3个工作日（调休上班：国庆节、中秋节）" / "不计：法定节假日（国庆节、中秋节）"

    @property
    def line(self) -> str:
        return f"{self.info.date:%Y-%m-%d} {self.info.weekday} {self.text}"


def explain_steps(result: Result) -> list[ExplainedDay]:
    out, ordinal = [], 0
    for info in result.steps:
        if info.working:
            ordinal += 1
            note = "" if info.kind == WEEKDAY and not info.provisional else f"（{info.reason}）"
            out.append(ExplainedDay(info, ordinal, _("第%(n)d个工作日") % {"n": ordinal} + note))
        elif info.kind == HOLIDAY:
            out.append(ExplainedDay(info, 0, _("不计：法定节假日（%(name)s）") % {"name": info.name}))
        else:
            out.append(ExplainedDay(info, 0, _("不计：%(reason)s") % {"reason": info.reason}))
    return out


def summary(result: Result) -> str:
    """One sentence with the result, the counting rule and, if provisional, why."""
    values = {"date": f"{result.date:%Y-%m-%d}", "weekday": weekday_name(result.date),
              "start": f"{result.start:%Y-%m-%d}", "n": result.n}
    if result.n == 0:
        text = _("结果：%(date)s %(weekday)s（工作日数为0，即起算日当日）") % values
    else:
        text = _("结果：%(date)s %(weekday)s，即%(start)s之后第%(n)d个工作日"
                 "（起算日当日不计，自次日开始计算，《民法典》第二百零一条）") % values
    if result.provisional:
        years = "、".join(_("%(year)d年") % {"year": y} for y in result.provisional_years)
        text += _("。暂定：%(years)s节假日安排未录入，按周一至周五计算，录入后自动重新计算") % {"years": years}
    return text


def explain(result: Result) -> list[str]:
    """The count day by day, one line per examined day, then the summary."""
    return [e.line for e in explain_steps(result)] + [summary(result)]
