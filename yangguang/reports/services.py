"""Annual report actions: each checks permission, changes state in one transaction and writes
one audit event. Staff act only on their own org's report (orgs.permissions.can_edit_report); finalize,
publish and correct further need a leader of that org (can_sign_off_report)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.text import clean_multiline
from yangguang.disclosure.models import Application
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization

from . import catalog, checks, replies, tables
from .models import AnnualReport, EnteredFigures, ReportVersion
from .scope import scope_ids
from .workflow import Action, Status, next_status

NARRATIVE = ("overview", "problems", "other")
FIGURE_FIELDS = {"licensing": gettext_lazy("行政许可"), "penalty": gettext_lazy("行政处罚"),
                 "enforcement": gettext_lazy("行政强制")}
MAX_FEES = Decimal("9999999999.9999")
FIRST_YEAR = 2008  # 条例 (2007) took effect on 2008-05-01


def _require(by, org) -> None:
    if not permissions.can_edit_report(by, org):
        raise NotAllowed(_("只能办理本机关的年度报告。"))


def can_sign_off(user, org) -> bool:
    """May `user` finalize, publish and correct `org`'s annual report? (``can_sign_off_report``)"""
    return permissions.can_sign_off_report(user, org)


def report_actions(user, org) -> dict[str, bool]:
    """What the editor offers ``user`` on ``org``'s reports: ``act`` (narrative, figures:
    ``can_edit_report``) and ``sign_off`` (finalize, publish, correct: ``can_sign_off_report``)."""
    return {"act": permissions.can_edit_report(user, org), "sign_off": permissions.can_sign_off_report(user, org)}


def _require_leader(by, org) -> None:
    _require(by, org)
    if not permissions.can_sign_off_report(by, org):
        raise NotAllowed(_("只有本单位主要领导或分管领导可以定稿、发布或更正年度报告。"))


def valid_year(year: int) -> bool:
    """A report year: from the 条例's first year to this one."""
    return FIRST_YEAR <= year <= timezone.localdate().year


def _check_year(year: int) -> None:
    if not valid_year(year):
        raise InvalidInput(_("年度“%(year)s”不正确。") % {"year": year})


def status_of(report: AnnualReport | None) -> str:
    if report is None or report.pk is None:
        return Status.NONE
    latest = report.versions.order_by("-number").first()
    if latest is None:
        return Status.DRAFT
    return Status.PUBLISHED if latest.published_at else Status.FINALIZED


def fee_total_yuan(org_ids: list[int], year: int) -> Decimal:
    """信息处理费 collected in the year by the orgs: paid fees only — the same rule as
    disclosure.services.fee_total, summed over a report's scope."""
    total = Application.objects.filter(org_id__in=org_ids, fee_paid_date__year=year).aggregate(
        s=Sum("fee_amount"))["s"]
    return total or Decimal("0")


def enter_figures(org: Organization, year: int, by, *, licensing, penalty, enforcement, fees) -> EnteredFigures:
    """Record 第二十条第（五）（六）（八）项 figures; the entering user and time are kept."""
    _require(by, org)
    _check_year(year)
    errors, values = [], {}
    for key, label in FIGURE_FIELDS.items():
        raw = {"licensing": licensing, "penalty": penalty, "enforcement": enforcement}[key]
        try:
            values[key] = int(raw)
            if values[key] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("%(label)s本年处理决定数量须为不小于0的整数。") % {"label": label})
    try:
        amount = Decimal(str(fees))
        if not amount.is_finite() or amount < 0 or amount > MAX_FEES or amount != amount.quantize(tables.FEES_QUANTUM):
            raise InvalidOperation
        values["fees"] = amount
    except (InvalidOperation, ValueError):
        errors.append(_("行政事业性收费金额须为不小于0的数，单位万元，最多4位小数。"))
    if errors:
        raise InvalidInput(_("录入数据有误："), details=errors)
    with transaction.atomic():
        figures, created = EnteredFigures.objects.select_for_update().get_or_create(
            org=org, year=year, defaults={**values, "entered_by": by, "entered_at": timezone.now()})
        old = {k: str(getattr(figures, k)) for k in values}
        if not created:
            for k, v in values.items():
                setattr(figures, k, v)
            figures.entered_by, figures.entered_at = by, timezone.now()
            figures.save()
        audit.record("report.figures", figures, actor=by, org_id=org.id, data={
            "year": year, "old": None if created else old, "new": {k: str(v) for k, v in values.items()}})
    return figures


def save_narrative(org: Organization, year: int, by, **sections: str) -> AnnualReport:
    """Save the narrative sections 一、五、六 of the working draft (creating it on first save)."""
    _require(by, org)
    _check_year(year)
    unknown = set(sections) - set(NARRATIVE)
    if unknown:
        raise InvalidInput(_("未知的报告部分：%(parts)s") % {"parts": "、".join(sorted(unknown))})
    sections = {k: clean_multiline(v) for k, v in sections.items()}
    with transaction.atomic():
        report, _created = AnnualReport.objects.select_for_update().get_or_create(org=org, year=year)
        next_status(status_of(report), Action.EDIT)
        changed = [k for k, v in sections.items() if (v or "").strip() != getattr(report, k)]
        for k in changed:
            setattr(report, k, (sections[k] or "").strip())
        report.updated_by, report.updated_at = by, timezone.now()
        report.save()
        audit.record("report.edit", report, actor=by, org_id=org.id, data={"year": year, "changed": changed})
    return report


def _freeze(report: AnnualReport, by, *, reason: str = "") -> ReportVersion:
    """Compute and check the tables now; store them with the narrative in a new version."""
    ids = scope_ids(report.org)
    computed = replies.with_figures(tables.compute(report.org, report.year), ids, report.year)
    found = checks.problems(computed)
    if not report.overview.strip():
        found.insert(0, _("“一、总体情况”尚未填写。"))
    if not EnteredFigures.objects.filter(org=report.org, year=report.year).exists():
        found.insert(0, _("尚未录入本机关第二十条第（五）（六）（八）项数据（行政许可、行政处罚、行政强制、行政事业性收费），"
                          "没有的请录入0。"))
    if found:
        raise InvalidInput(_("本报告不能定稿："), details=found)
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    names = dict(Organization.objects.filter(id__in=ids).values_list("id", "name"))
    return ReportVersion.objects.create(
        report=report, number=number, org_name=report.org.name, scope=[names[i] for i in ids],
        overview=report.overview, problems=report.problems, other=report.other, tables=computed,
        correction_reason=reason, finalized_by=by, finalized_at=timezone.now(),
    )


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("org").get(pk=report.pk)


def finalize(report: AnnualReport, by) -> ReportVersion:
    """定稿: freeze the computed tables and the narrative; refused while any check fails."""
    _require_leader(by, report.org)
    with transaction.atomic():
        report = _locked(report)
        next_status(status_of(report), Action.FINALIZE)
        version = _freeze(report, by)
        audit.record("report.finalize", version, actor=by, org_id=report.org_id,
                     data={"year": report.year, "version": version.number})
    return version


def _catalog_data(doc) -> dict:
    return {"document": doc.pk, "index_number": doc.index_number} if doc is not None else {"document": None}


def publish(report: AnnualReport, by) -> ReportVersion:
    """发布 the latest finalized version on the portal, and as the report's document in the org's
    公开年报 catalog column (`catalog`: generated from this version, one record)."""
    _require_leader(by, report.org)
    with transaction.atomic():
        report = _locked(report)
        next_status(status_of(report), Action.PUBLISH)
        version = report.versions.order_by("-number").first()
        version.published_by, version.published_at = by, timezone.now()
        version.save(update_fields=["published_by", "published_at"])
        doc = catalog.publish_in_catalog(report, version, by)
        audit.record("report.publish", version, actor=by, org_id=report.org_id,
                     data={"year": report.year, "version": version.number, **_catalog_data(doc)})
    return version


def correct(report: AnnualReport, by, *, reason: str) -> ReportVersion:
    """更正 a published report: a new dated version, published at once; earlier ones stay viewable."""
    _require_leader(by, report.org)
    reason = clean_multiline(reason)
    if not reason:
        raise InvalidInput(_("请填写更正说明（更正了什么、为什么）。"))
    with transaction.atomic():
        report = _locked(report)
        next_status(status_of(report), Action.CORRECT)
        version = _freeze(report, by, reason=reason)
        version.published_by, version.published_at = by, version.finalized_at
        version.save(update_fields=["published_by", "published_at"])
        doc = catalog.publish_in_catalog(report, version, by)
        audit.record("report.correct", version, actor=by, org_id=report.org_id,
                     data={"year": report.year, "version": version.number, "reason": reason, **_catalog_data(doc)})
    return version
