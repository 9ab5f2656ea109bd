"""Report status per org, and the orgs late with their report (条例第49条) — for the supervisor's
overview and the `supervision` bulletins. Grouped queries, never one query per org."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from yangguang.orgs.models import Organization

from .models import AnnualReport
from .rows import deadline
from .workflow import Status


def _summary(org_ids: Iterable[int], year: int) -> dict[int, dict]:
    rows = AnnualReport.objects.filter(org_id__in=list(org_ids), year=year).values("org_id").annotate(
        n_versions=Count("versions"), n_published=Count("versions", filter=Q(versions__published_at__isnull=False)),
        first_published=Min("versions__published_at"), last_version=Max("versions__number"),
    )
    return {r["org_id"]: r for r in rows}


def _status(row: dict | None) -> str:
    if row is None:
        return Status.NONE
    if row["n_published"]:
        return Status.PUBLISHED
    return Status.FINALIZED if row["n_versions"] else Status.DRAFT


def report_status(org_ids: Iterable[int], year: int) -> dict[int, str]:
    """{org id: "none" | "draft" | "finalized" | "published"} (workflow.Status values)."""
    ids = list(org_ids)
    summary = _summary(ids, year)
    return {oid: _status(summary.get(oid)) for oid in ids}


@dataclass(frozen=True)
class LateReport:
    org: Organization
    deadline: date
    status: str  # workflow.Status value; "published" means published after the deadline
    published_on: date | None = None


def _local_day(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value else None


def late_reports(region: Organization, year: int, today: date) -> list[LateReport]:
    """Orgs of `region` (itself and its subtree) that had not published their `year` report by its
    deadline, as seen on `today`: unpublished ones once the deadline has passed, and ones published
    after it. The deadline day itself is not late (条例第49条: 1月31日前 / 3月31日前)."""
    orgs = list(Organization.objects.filter(path__startswith=region.path).order_by("path"))
    summary = _summary([o.id for o in orgs], year)
    late = []
    for org in orgs:
        due = deadline(org.kind, year)
        if today <= due:
            continue
        row = summary.get(org.id)
        published_on = _local_day(row["first_published"]) if row else None
        if published_on is None or published_on > due:
            late.append(LateReport(org=org, deadline=due, status=_status(row), published_on=published_on))
    return late


# The three ways a report stands against its deadline (条例第49条), as separate lists — a unit that
# published late is never listed with the units that have not published.
ON_TIME, LATE, UNPUBLISHED = "on_time", "late", "unpublished"


@dataclass(frozen=True)
class Publication:
    """One org's `year` report as of `as_of`: when it was first published (None: not by `as_of`)."""

    org: Organization
    deadline: date
    status: str  # workflow.Status value as of now (a version published after `as_of` still says published)
    published_on: date | None
    as_of: date

    @property
    def kind(self) -> str:
        """ON_TIME (published by the deadline), LATE (published after it) or UNPUBLISHED (not by `as_of`)."""
        if self.published_on is None:
            return UNPUBLISHED
        return ON_TIME if self.published_on <= self.deadline else LATE

    @property
    def overdue(self) -> bool:
        """Not published, and the deadline has passed on `as_of` (the deadline day itself is not late)."""
        return self.published_on is None and self.as_of > self.deadline


def publication(region: Organization, year: int, as_of: date) -> list[Publication]:
    """Every org of `region` (itself and its subtree, in tree order) with its `year` report's
    publication as of `as_of`: a report first published after `as_of` counts as not yet published."""
    orgs = list(Organization.objects.filter(path__startswith=region.path).order_by("path"))
    summary = _summary([o.id for o in orgs], year)
    out = []
    for org in orgs:
        row = summary.get(org.id)
        published_on = _local_day(row["first_published"]) if row else None
        if published_on is not None and published_on > as_of:
            published_on = None
        out.append(Publication(org=org, deadline=deadline(org.kind, year), status=_status(row),
                               published_on=published_on, as_of=as_of))
    return out
