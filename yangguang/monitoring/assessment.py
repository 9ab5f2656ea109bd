"""考评 / 自评 (spec/monitoring.md "Scoring"): each org's measured score over an assessment period,
its self-assessment beside it, rankings per region and per org type, and the Excel export.

Measured score of a period: the mean of the org's scores in the period's full runs (daily, manual
or command runs of all indicators; a vetoed run scores 0), so a column left stale for half the
quarter costs half as much as one stale all quarter. Verdict: 不合格 when the mean is below 60
or the org's last run in the period was vetoed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.exports.xlsx import table_to_xlsx
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization

from . import indicators as law
from .models import AssessmentPeriod, Indicator, IndicatorResult, MonitoringRun, SelfAssessment

DEPARTMENTS, TOWNSHIPS, GOVERNMENTS = "市直部门", "乡镇街道", "县区政府"


def org_type(kind: str) -> str:
    if kind == "department":
        return DEPARTMENTS
    if kind in ("township", "street"):
        return TOWNSHIPS
    return GOVERNMENTS


@dataclass
class IndicatorLine:
    indicator: Indicator
    measured: IndicatorResult | None
    claimed: SelfAssessment | None

    @property
    def differs(self) -> bool:
        if self.measured is None or self.claimed is None:
            return False
        return self.measured.passed != self.claimed.passed or self.measured.points != self.claimed.points


@dataclass
class OrgRow:
    org: Organization
    type_label: str
    region: Organization
    score: float | None  # None: not measured in the period
    runs: int
    vetoed_runs: int
    last_vetoed: bool
    self_score: float | None
    lines: list[IndicatorLine] = field(default_factory=list)
    rank_region: int | None = None
    rank_type: int | None = None

    @property
    def verdict(self) -> str:
        if self.score is None:
            return "—"
        return law.verdict(self.last_vetoed, self.score)

    @property
    def difference(self) -> float | None:
        if self.score is None or self.self_score is None:
            return None
        return round(self.self_score - self.score, 2)

    @property
    def differs(self) -> bool:
        return any(line.differs for line in self.lines) or (self.difference not in (None, 0))


def full_runs(period: AssessmentPeriod):
    return MonitoringRun.objects.filter(
        as_of__gte=period.start, as_of__lte=period.end, indicator__isnull=True, finished_at__isnull=False,
    ).exclude(trigger=MonitoringRun.Trigger.REMEASURE)


def _self_score(claims: list[SelfAssessment]) -> float:
    if any(c.indicator.level == law.Level.VETO and not c.passed for c in claims):
        return 0.0
    return law.total_score([float(c.points) for c in claims])


def period_table(period: AssessmentPeriod) -> list[OrgRow]:
    orgs = list(period.region.subtree().select_related("parent"))
    runs = full_runs(period)
    per_org: dict[int, list[tuple[int, float, bool]]] = defaultdict(list)
    agg = (IndicatorResult.objects.filter(permissions.region_q(period.region), run__in=runs).order_by()
           .values("run_id", "org_id")
           .annotate(neg=Sum("points", filter=Q(points__lt=0)), pos=Sum("points", filter=Q(points__gt=0)),
                     vetoes=Count("id", filter=Q(indicator__level=law.Level.VETO, passed=False))))
    for row in agg:
        vetoed = row["vetoes"] > 0
        score = 0.0 if vetoed else law.total_score([float(row["neg"] or 0), float(row["pos"] or 0)])
        per_org[row["org_id"]].append((row["run_id"], score, vetoed))
    last_run = {org_id: max(r[0] for r in rows) for org_id, rows in per_org.items()}
    measured: dict[tuple[int, int], IndicatorResult] = {}
    if last_run:
        for r in IndicatorResult.objects.filter(permissions.region_q(period.region),
                                                run_id__in=set(last_run.values())):
            if last_run.get(r.org_id) == r.run_id:
                measured[(r.org_id, r.indicator_id)] = r
    claims: dict[int, list[SelfAssessment]] = defaultdict(list)
    for c in SelfAssessment.objects.filter(period=period).select_related("indicator"):
        claims[c.org_id].append(c)
    indicator_list = list(Indicator.objects.filter(active=True))
    table = []
    for org in orgs:
        rows = per_org.get(org.id, [])
        mine = {c.indicator_id: c for c in claims.get(org.id, [])}
        region = org.parent if org.kind in ("department", "township", "street") and org.parent else org
        table.append(OrgRow(
            org=org, type_label=org_type(org.kind), region=region,
            score=round(sum(s for _run, s, _vetoed in rows) / len(rows), 2) if rows else None,
            runs=len(rows), vetoed_runs=sum(v for *_rest, v in rows),
            last_vetoed=bool(rows) and max(rows)[2], self_score=_self_score(list(mine.values())) if mine else None,
            lines=[IndicatorLine(i, measured.get((org.id, i.id)), mine.get(i.id)) for i in indicator_list]))
    _rank(table, lambda r: r.region.id, "rank_region")
    _rank(table, lambda r: r.type_label, "rank_type")
    return table


def _rank(table: list[OrgRow], key, attr: str) -> None:
    groups: dict = defaultdict(list)
    for row in table:
        if row.score is not None:
            groups[key(row)].append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: (r.last_vetoed, -r.score, r.org.name))
        previous, rank = None, 0
        for i, row in enumerate(rows, start=1):
            current = (row.last_vetoed, row.score)
            rank = rank if current == previous else i  # equal scores share a rank
            setattr(row, attr, rank)
            previous = current


def export_xlsx(period: AssessmentPeriod, table: list[OrgRow]) -> bytes:
    headers = [_("类型排名"), _("区域排名"), _("机构"), _("类型"), _("所属区域"), _("监测得分"), _("测量次数"),
               _("单项否决次数"), _("结论"), _("自评得分"), _("自评与监测差异")]
    rows = sorted(table, key=lambda r: (r.type_label, r.rank_type or 10**6, r.org.name))
    data = [[r.rank_type, r.rank_region, r.org.name, r.type_label, r.region.name, r.score, r.runs, r.vetoed_runs,
             r.verdict, r.self_score, r.difference] for r in rows]
    title = _("%(name)s 政务公开考评结果（%(start)s至%(end)s）") % {
        "name": period.name, "start": f"{period.start:%Y-%m-%d}", "end": f"{period.end:%Y-%m-%d}"}
    return table_to_xlsx(title, headers, data, sheet=_("考评结果"))


# --- services ------------------------------------------------------------------------------------


def create_period(by, *, kind: str, name: str, start: date, end: date) -> AssessmentPeriod:
    if not permissions.can_create_assessment(by):
        raise NotAllowed(_("只有政务公开办可以设立考评期。"))
    name = (name or "").strip()
    errors = []
    if kind not in AssessmentPeriod.Kind.values:
        errors.append(_("请选择考评期类型。"))
    if not name:
        errors.append(_("请填写考评期名称。"))
    if start is None or end is None or start > end:
        errors.append(_("开始日期不能晚于结束日期。"))
    if errors:
        raise InvalidInput(_("考评期信息有误。"), details=errors)
    if AssessmentPeriod.objects.filter(region=by.org, start=start, end=end).exists():
        raise InvalidInput(_("该时间段的考评期已存在。"))
    with transaction.atomic():
        period = AssessmentPeriod.objects.create(region=by.org, kind=kind, name=name, start=start, end=end,
                                                 created_by=by)
        audit.record("assessment.create", period, actor=by, org_id=by.org_id,
                     data={"name": name, "start": start, "end": end})
    return period


def save_self_assessment(period: AssessmentPeriod, org: Organization, by, entries: dict[int, dict]) -> int:
    """entries: {indicator id: {"passed": bool, "points": str|number, "note": str}}; points are the
    deduction (entered positive) or bonus the org claims. One audit event for the whole form."""
    if not permissions.can_self_assess(by, org, period):
        raise NotAllowed(_("只能填报本机构的自评。"))
    if not period.self_assessment_open:
        raise InvalidInput(_("该考评期已停止接受自评。"))
    known = {i.id: i for i in Indicator.objects.filter(active=True)}
    errors, rows = [], []
    now = timezone.now()
    for ind_id, entry in entries.items():
        ind = known.get(int(ind_id))
        if ind is None:
            continue
        try:
            amount = abs(Decimal(str(entry.get("points") or 0)))
        except InvalidOperation:
            errors.append(_("“%(indicator)s”的分值不是数字。") % {"indicator": ind.name})
            continue
        passed = bool(entry.get("passed"))
        if ind.level == law.Level.VETO:
            amount = Decimal(0)
        elif ind.level == law.Level.DEDUCT:
            amount = Decimal(0) if passed else -amount
        rows.append(SelfAssessment(period=period, org=org, indicator=ind, passed=passed, points=amount,
                                   note=(entry.get("note") or "")[:300], submitted_by=by, submitted_at=now))
    if errors:
        raise InvalidInput(_("自评有误。"), details=errors)
    with transaction.atomic():
        SelfAssessment.objects.filter(period=period, org=org).delete()
        SelfAssessment.objects.bulk_create(rows)
        audit.record("assessment.self", period, actor=by, org_id=org.id,
                     data={"indicators": len(rows), "score": _self_score(rows)})
    return len(rows)
