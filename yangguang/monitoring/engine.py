"""The monitoring engine: measure the indicators over a scope of orgs, keep the results per run,
keep the rectification items in step, and read back the latest score of each org."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from yangguang.core import audit
from yangguang.orgs.models import Organization

from . import indicators as law
from . import measures, rectify, rescan
from .models import Indicator, IndicatorResult, MonitoringRun

INSERT_BATCH = 2000


def _scope(scope_org: Organization | None, only_org: bool):
    if scope_org is None:
        return Organization.objects.all(), True
    if only_org:
        return Organization.objects.filter(pk=scope_org.pk), False
    return scope_org.subtree(), False


def run(*, trigger: str, by=None, scope_org: Organization | None = None, only_org: bool = False,
        indicator: Indicator | None = None, today=None, scan_limit: int | None = None) -> MonitoringRun:
    """Measure (one or all active) indicators for the scope; returns the finished run."""
    today = today or timezone.localdate()
    orgs, all_orgs = _scope(scope_org, only_org)
    org_ids = list(orgs.order_by("id").values_list("id", flat=True))
    started = time.monotonic()
    current = MonitoringRun.objects.create(
        as_of=today, started_at=timezone.now(), trigger=trigger, scope_org=scope_org, only_org=only_org,
        indicator=indicator, started_by=by if getattr(by, "pk", None) else None, orgs=len(org_ids))
    chosen = [indicator] if indicator is not None else list(Indicator.objects.filter(active=True))
    ctx = measures.Context(today=today, orgs=orgs, org_ids=org_ids, all_orgs=all_orgs)
    stats: dict = {"timings": {}}
    if any(i.measure == "blocking_findings" for i in chosen):
        scan = rescan.scan_pending(ctx.org_filter("org") if not all_orgs else None, limit=scan_limit)
        stats["scan"] = scan.as_dict()
    rows: list[IndicatorResult] = []
    for ind in chosen:
        t0 = time.monotonic()
        fn = measures.REGISTRY.get(ind.measure)
        if fn is None:
            stats.setdefault("unknown_measures", []).append(ind.code)
            continue
        found = fn(ctx, ind)
        for org_id in org_ids:
            m = found.get(org_id) or measures.Measured(0)
            passed, points = law.points_for(ind.level, m.value, ind.threshold, ind.points, ind.per_item, ind.cap)
            rows.append(IndicatorResult(run=current, org_id=org_id, indicator=ind, value=m.value, passed=passed,
                                        points=round(points, 2), details=m.details))
        stats["timings"][ind.code] = round(time.monotonic() - t0, 3)
    t0 = time.monotonic()
    with transaction.atomic():
        for start in range(0, len(rows), INSERT_BATCH):
            IndicatorResult.objects.bulk_create(rows[start:start + INSERT_BATCH])
        stats["rectifications"] = rectify.sync(current, rows, today)
        current.finished_at = timezone.now()
        current.failed = sum(1 for r in rows if not r.passed)
        stats["seconds"] = round(time.monotonic() - started, 3)
        stats["timings"]["save"] = round(time.monotonic() - t0, 3)
        current.stats = stats
        current.save(update_fields=["finished_at", "failed", "stats"])
        audit.record("monitoring.run", current, actor=by, org_id=scope_org.pk if scope_org else None,
                     data={"as_of": today, "trigger": trigger, "orgs": len(org_ids), "failed": current.failed,
                           "indicator": indicator.code if indicator else None,
                           "rectifications": stats["rectifications"]})
    return current


# --- reading results ---------------------------------------------------------------------------


@dataclass
class OrgScore:
    org_id: int
    score: float  # 0 when vetoed: a veto item means nothing else is scored
    verdict: str  # 合格 / 不合格
    vetoed: bool
    failed: list[IndicatorResult] = field(default_factory=list)
    results: list[IndicatorResult] = field(default_factory=list)
    deductions: float = 0.0
    bonus: float = 0.0


def score_of(org_id: int, results: list[IndicatorResult]) -> OrgScore:
    vetoed = any(r.indicator.level == law.Level.VETO and not r.passed for r in results)
    pts = [float(r.points) for r in results]
    score = 0.0 if vetoed else law.total_score(pts)
    failed = [r for r in results if not r.passed]
    return OrgScore(org_id, score, law.verdict(vetoed, score), vetoed, failed, results,
                    deductions=-sum(p for p in pts if p < 0), bonus=min(sum(p for p in pts if p > 0), law.BONUS_CAP))


def latest_result_ids(org_filter: Q):
    """The newest result of each (org, active indicator): a full run, or a later re-measurement."""
    return (IndicatorResult.objects.filter(org_filter, indicator__active=True, run__finished_at__isnull=False)
            .order_by().values("org_id", "indicator_id").annotate(last=Max("id")).values("last"))


def latest_results(org_ids) -> dict[int, OrgScore]:
    """{org id: OrgScore} from the newest result per indicator; orgs never measured are absent."""
    ids = list(org_ids)
    grouped: dict[int, list[IndicatorResult]] = {}
    for start in range(0, len(ids), 500):
        chunk = Q(org_id__in=ids[start:start + 500])
        qs = (IndicatorResult.objects.filter(id__in=latest_result_ids(chunk)).select_related("indicator", "run")
              .order_by("org_id", "indicator__position", "indicator_id"))
        for r in qs:
            grouped.setdefault(r.org_id, []).append(r)
    return {org_id: score_of(org_id, results) for org_id, results in grouped.items()}
