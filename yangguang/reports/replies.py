"""答复时效: how many of a report's applications were answered on time or late in the year, and how
many carried into the next year were already overdue — from `disclosure.timeliness`, the one
classification the workbench, the overview, bulletins and monitoring use (late stays late: a late
extension does not make a reply timely).

Not a row of the statutory table 三 (国办公开办函〔2021〕30号 prescribes its rows exactly); a figure
proposed for quoting in 一、总体情况, frozen with each version (tables["timeliness"]), and checked
against table 三 before finalizing: its closed and carried-over counts must equal （七）总计 and 四.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from yangguang.disclosure import timeliness
from yangguang.disclosure.models import Application

KEY = "timeliness"


def figures(org_ids: Iterable[int], year: int, today: date | None = None) -> dict:
    """{"as_of", "closed", "on_time", "late", "carried_out", "overdue"} for the year (as of its
    last day, or today while it runs): closed in the year on time / late; open at its end, and of
    those already overdue."""
    end = min(date(year, 12, 31), today or timezone.localdate())
    counts = timeliness.count(Application.objects.filter(org_id__in=list(org_ids)), end, by=None,
                              closed_from=date(year, 1, 1)).get(None) or timeliness.Counts()
    return {"as_of": end.isoformat(), "closed": counts.closed, "on_time": counts.on_time, "late": counts.late,
            "carried_out": counts.open, "overdue": counts.overdue}


def with_figures(tables: dict, org_ids: Iterable[int], year: int) -> dict:
    """`tables` (as `tables.compute` returns them) with the 答复时效 figures added under KEY."""
    return {**tables, KEY: figures(org_ids, year)}
