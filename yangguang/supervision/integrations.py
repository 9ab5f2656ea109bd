"""The figures other apps own: annual report status (reports) and column status / indicator scores
(monitoring). Imported lazily and guarded, so this app still works (showing "不可用") in a deployment
or a checkout where one of them is missing; nothing is guessed in their place."""

from __future__ import annotations

import logging
from datetime import date

log = logging.getLogger(__name__)


def _load(path: str, name: str):
    try:
        module = __import__(path, fromlist=[name])
        return getattr(module, name)
    except (ImportError, AttributeError):
        log.info("%s.%s 不可用", path, name)
        return None


def report_publication(region, year: int, as_of: date) -> list | None:
    """[Publication(.org, .deadline, .status, .published_on, .kind, .overdue)] of every org of the
    region for its `year` report as of `as_of`; None when the reports app does not provide it."""
    fn = _load("yangguang.reports.status", "publication")
    return None if fn is None else list(fn(region, year, as_of))


def status_label(code: str) -> str:
    """The Chinese label of a report status code ("published" → "已发布")."""
    status = _load("yangguang.reports.workflow", "Status")
    try:
        return str(status(code).label) if status is not None else code
    except ValueError:
        return code


def report_status(org_ids: list[int], year: int) -> dict[int, str] | None:
    """org id → the label of its `year` report's status, or None when the reports app is missing."""
    fn = _load("yangguang.reports.status", "report_status")
    return None if fn is None else {k: status_label(v) for k, v in fn(org_ids, year).items()}


def column_status(org_ids: list[int], today: date) -> list | None:
    """[ColumnStatus(.column, .org_id, .last_published, .count, .stale, .empty)] or None."""
    fn = _load("yangguang.monitoring.measures", "column_status")
    return None if fn is None else list(fn(org_ids, today))


def latest_scores(org_ids: list[int]) -> dict | None:
    """org id → OrgScore(.score, .verdict, .vetoed, .failed), or None."""
    fn = _load("yangguang.monitoring.engine", "latest_results")
    return None if fn is None else fn(org_ids)
