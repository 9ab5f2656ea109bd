"""Filling the official calendar: from the `chinesecalendar` package (the seed, 2004–2026) and from a
file an administrator prepares from the State Council's yearly notice.

The file format (`yangguang calendar load FILE`), UTF-8 (a BOM is accepted):

    CSV, one exception to the weekday rule per line: ``日期,类型,名称``
        2031-01-01,休,元旦
        2031-01-04,班,元旦
    - 日期: YYYY-MM-DD;
    - 类型: ``holiday`` / ``休`` / ``放假`` for a day off, ``makeup_workday`` / ``班`` / ``上班`` /
      ``调休上班`` for a weekend day worked (调休); a day off on a weekend may be listed (元旦 on a
      Saturday), a 调休上班 day must be a Saturday or Sunday;
    - 名称: the holiday as the notice names it (春节, 国庆节、中秋节 …);
    - an optional header line (``date,kind,name`` or ``日期,类型,名称``), blank lines and lines
      starting with ``#`` are ignored.
    JSON: a list of objects ``{"date": …, "kind": …, "name": …}`` (or ``{"days": [...]}``).

Every year that occurs in the file is replaced as a whole and marked loaded. The load is all or
nothing: every bad line is reported and nothing is written unless all are good.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
KIND_ALIASES = {
    "holiday": HOLIDAY, "休": HOLIDAY, "放假": HOLIDAY,
    "makeup_workday": MAKEUP_WORKDAY, "班": MAKEUP_WORKDAY, "上班": MAKEUP_WORKDAY, "调休上班": MAKEUP_WORKDAY,
}
WEEKDAYS = "一二三四五六日"

# chinesecalendar names its holidays in English; these are the names the notices use.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class DayRow:
    date: date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str
    line: int = 0  # where it came from in a file (0: not from a file)


class CalendarFileError(ValueError):
    """A calendar file that cannot be loaded; `errors` lists every problem found, in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- chinesecalendar -------------------------------------------------------------------------


def chinesecalendar_source() -> str:
    import chinese_calendar

    return f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


def chinesecalendar_rows(years: Iterable[int] | None = None) -> dict[int, list[DayRow]]:
    """The exceptions chinesecalendar knows, by year, with the notices' Chinese names.

    A run of consecutive days off is one holiday block; when a block joins two holidays (国庆节 and
    中秋节 in 2009, 2012, 2017, 2023, 2025) its days carry both names in the order they occur, as the
    notice names the block ("国庆节、中秋节：10月1日至8日放假调休"). A 调休上班 day takes the name
    of the nearest block of its holiday."""
    from chinese_calendar import constants

    wanted = set(years) if years is not None else None
    blocks: list[list[date]] = []
    for d in sorted(constants.holidays):
        if blocks and (d - blocks[-1][-1]).days == 1:
            blocks[-1].append(d)
        else:
            blocks.append([d])
    block_name: dict[date, str] = {}
    named_blocks: list[tuple[list[date], set[str], str]] = []
    for block in blocks:
        english = list(dict.fromkeys(str(constants.holidays[d]) for d in block))
        name = "、".join(HOLIDAY_NAMES.get(e, e) for e in english)
        named_blocks.append((block, set(english), name))
        block_name.update(dict.fromkeys(block, name))
    out: dict[int, list[DayRow]] = {}
    for d, name in block_name.items():
        if wanted is None or d.year in wanted:
            out.setdefault(d.year, []).append(DayRow(d, HOLIDAY, name))
    for d, english in constants.workdays.items():
        if wanted is not None and d.year not in wanted:
            continue
        candidates = [b for b in named_blocks if str(english) in b[1]] or named_blocks
        block = min(candidates, key=lambda b: min(abs((x - d).days) for x in b[0]))
        out.setdefault(d.year, []).append(DayRow(d, MAKEUP_WORKDAY, block[2]))
    for rows in out.values():
        rows.sort(key=lambda r: r.date)
    return out


def seed_from_chinesecalendar(
    years: Iterable[int] | None = None, *, replace: bool = False, apps: Any = None, using: str = "default",
) -> list[int]:
    """Load the years chinesecalendar covers (or only `years`) into the calendar tables.

    Years already loaded are left alone unless `replace` (an administrator may have corrected them).
    Called by migration 0003 with the historical `apps`, so every fresh database — test databases
    included — starts with 2004–2026 loaded. Returns the years written. Writes no audit event: the
    migration cannot, and `yangguang calendar seed` records its own."""
    rows = chinesecalendar_rows(years)
    with transaction.atomic(using=using):
        return _write_years(rows, source=chinesecalendar_source(), note="由 chinesecalendar 数据包导入",
                            replace=replace, apps=apps, using=using)


def _write_years(
    rows_by_year: dict[int, list[DayRow]], *, source: str, note: str, replace: bool,
    apps: Any = None, using: str = "default",
) -> list[int]:
    """Replace (or, without `replace`, only add) the given years: one bulk insert for the days."""
    registry = apps or global_apps
    year_model = registry.get_model("core", "CalendarYear")
    day_model = registry.get_model("core", "CalendarDay")
    existing = set(year_model.objects.using(using).filter(year__in=list(rows_by_year))
                   .values_list("year", flat=True))
    todo = sorted(y for y in rows_by_year if replace or y not in existing)
    if not todo:
        return []
    now = timezone.now()
    replaced = [y for y in todo if y in existing]
    day_model.objects.using(using).filter(year__year__in=replaced).delete()
    year_model.objects.using(using).filter(year__in=replaced).update(
        source=source, note=note, loaded_at=now, updated_at=now)
    year_model.objects.using(using).bulk_create(
        [year_model(year=y, source=source, note=note, loaded_at=now) for y in todo if y not in existing])
    ids = dict(year_model.objects.using(using).filter(year__in=todo).values_list("year", "id"))
    day_model.objects.using(using).bulk_create(
        [day_model(date=r.date, kind=r.kind, name=r.name, year_id=ids[y]) for y in todo for r in rows_by_year[y]],
        batch_size=500,
    )
    return todo


def years_label(years: list[int]) -> str:
    """The audit object id of a load: "2031", or "2004-2026" for several years (the exact list is in
    the event's data)."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


# --- files -------------------------------------------------------------------------------------


def _parse_date(raw: str) -> date | None:
    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def _check_row(where: str, raw_date: Any, raw_kind: Any, raw_name: Any, errors: list[str]) -> DayRow | None:
    before = len(errors)
    d = _parse_date(str(raw_date or ""))
    if d is None:
        errors.append(_("%(where)s：日期“%(value)s”无效，应为YYYY-MM-DD格式的真实日期")
                      % {"where": where, "value": raw_date or ""})
    kind = KIND_ALIASES.get(str(raw_kind or "").strip())
    if kind is None:
        errors.append(_("%(where)s：类型“%(value)s”无效，应为 holiday/休（放假）或 makeup_workday/班（调休上班）")
                      % {"where": where, "value": raw_kind or ""})
    name = str(raw_name or "").strip()
    if not name:
        errors.append(_("%(where)s：缺少节日名称") % {"where": where})
    elif len(name) > 100:
        errors.append(_("%(where)s：节日名称过长（最多%(max)d字）") % {"where": where, "max": 100})
    if d is not None and kind == MAKEUP_WORKDAY and d.weekday() < 5:
        errors.append(_("%(where)s：%(date)s是周%(weekday)s，本来就是工作日，不能登记为调休上班")
                      % {"where": where, "date": f"{d:%Y-%m-%d}", "weekday": WEEKDAYS[d.weekday()]})
    if len(errors) > before:
        return None
    return DayRow(d, kind, name)  # type: ignore[arg-type]


def _csv_rows(text: str, errors: list[str]) -> list[tuple[int, DayRow | None]]:
    out = []
    for lineno, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not out and cells[0].lower() in {"date", "日期"}:
            continue
        where = _("第%(line)d行") % {"line": lineno}
        if len(cells) != 3:
            errors.append(_("%(where)s：应有3列（日期,类型,名称），实际%(count)d列") % {"where": where, "count": len(cells)})
            out.append((lineno, None))
            continue
        out.append((lineno, _check_row(where, *cells, errors)))
    return out


def _json_rows(text: str, errors: list[str]) -> list[tuple[int, DayRow | None]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        errors.append(_("JSON格式错误：第%(line)d行第%(column)d列") % {"line": e.lineno, "column": e.colno})
        return []
    if isinstance(data, dict):
        data = data.get("days")
    if not isinstance(data, list):
        errors.append(_("JSON文件应为对象列表，或含“days”列表的对象"))
        return []
    out = []
    for i, item in enumerate(data, start=1):
        where = _("第%(item)d条") % {"item": i}
        if not isinstance(item, dict):
            errors.append(_("%(where)s：应为含 date、kind、name 的对象") % {"where": where})
            out.append((i, None))
            continue
        out.append((i, _check_row(where, item.get("date"), item.get("kind"), item.get("name"), errors)))
    return out


def parse_calendar_text(text: str, *, fmt: str = "csv") -> list[DayRow]:
    """Parse and check a calendar file's text; raises CalendarFileError listing every problem."""
    errors: list[str] = []
    text = text.removeprefix("\ufeff")
    parsed = _json_rows(text, errors) if fmt == "json" else _csv_rows(text, errors)
    seen: dict[date, int] = {}
    rows: list[DayRow] = []
    for line, row in parsed:
        if row is None:
            continue
        if row.date in seen:
            duplicate = (_("第%(line)d条：%(date)s与第%(first)d条重复") if fmt == "json"
                         else _("第%(line)d行：%(date)s与第%(first)d行重复"))
            errors.append(duplicate % {"line": line, "date": f"{row.date:%Y-%m-%d}", "first": seen[row.date]})
            continue
        seen[row.date] = line
        rows.append(DayRow(row.date, row.kind, row.name, line))
    if not parsed and not errors:
        errors.append(_("文件中没有任何日期"))
    if errors:
        raise CalendarFileError(errors)
    return rows


def parse_calendar_file(path: str | Path) -> list[DayRow]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise CalendarFileError([_("找不到文件：%(path)s") % {"path": path}]) from e
    except UnicodeDecodeError as e:
        raise CalendarFileError([_("文件不是UTF-8编码：%(name)s") % {"name": path.name}]) from e
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    return parse_calendar_text(text, fmt=fmt)


def load_calendar(rows: list[DayRow], *, source: str, note: str = "", actor: Any = None,
                  action: str = "calendar.load") -> list[int]:
    """Replace every year present in `rows` and mark it loaded, in one transaction with one audit event.

    Deadlines are derived on read from the calendar (nothing is stored), so every deadline that
    was provisional for these years is recomputed from now on (spec: "when the year's schedule is
    loaded every provisional deadline is recomputed")."""
    from . import audit
    from .models_calendar import CalendarYear

    by_year: dict[int, list[DayRow]] = {}
    for r in rows:
        by_year.setdefault(r.date.year, []).append(r)
    if not by_year:
        raise CalendarFileError([_("文件中没有任何日期")])
    with transaction.atomic():
        before = {y.year: (y.source, y.days.count()) for y in CalendarYear.objects.filter(year__in=list(by_year))}
        years = _write_years(by_year, source=source[:200], note=note, replace=True)
        audit.record(action, ("core.calendaryear", years_label(years)), actor=actor, data={
            "years": years,
            "source": source,
            "holidays": sum(r.kind == HOLIDAY for r in rows),
            "makeup_workdays": sum(r.kind == MAKEUP_WORKDAY for r in rows),
            "replaced": {str(y): {"source": s, "days": n} for y, (s, n) in before.items()},
        })
    return years


def seed_command(years: Iterable[int] | None = None, *, replace: bool = False, actor: Any = None) -> list[int]:
    """`yangguang calendar seed`: like the migration, but audited (a newer chinesecalendar may know
    next year)."""
    from . import audit

    with transaction.atomic():
        written = seed_from_chinesecalendar(years, replace=replace)
        if written:
            audit.record("calendar.seed", ("core.calendaryear", years_label(written)), actor=actor,
                         data={"years": written, "source": chinesecalendar_source(), "replace": replace})
    return written
