"""工作台 › 考评: assessment periods, measured vs self-assessed scores, rankings, Excel export."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from yangguang.core.errors import ServiceError
from yangguang.orgs import permissions

from . import assessment
from .indicators import Level
from .models import AssessmentPeriod, Indicator, SelfAssessment
from .views import sees_everything, show_error


def _visible_periods(user):
    """A supervisor sees its region's periods; an org sees the periods of every region it lies in."""
    if sees_everything(user):
        return AssessmentPeriod.objects.all()
    if user.org is None:
        return AssessmentPeriod.objects.none()
    ancestors = [int(x) for x in user.org.path.strip("/").split("/") if x]
    return AssessmentPeriod.objects.filter(region_id__in=ancestors)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


@login_required
def periods(request):
    user = request.user
    if request.method == "POST":
        try:
            period = assessment.create_period(
                user, kind=request.POST.get("kind", ""), name=request.POST.get("name", ""),
                start=_date(request.POST.get("start")), end=_date(request.POST.get("end")))
        except ServiceError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("考评期已设立。"))
            return redirect("monitoring:period", pk=period.pk)
    return render(request, "monitoring/periods.html", {
        "periods": _visible_periods(user).select_related("region"), "supervisor": permissions.is_supervisor(user),
        "kinds": AssessmentPeriod.Kind.choices})


def _period_for(request, pk: int) -> AssessmentPeriod:
    period = get_object_or_404(AssessmentPeriod.objects.select_related("region"), pk=pk)
    if not _visible_periods(request.user).filter(pk=pk).exists():
        raise Http404
    return period


def _full_view(user, period) -> bool:
    return permissions.reads_region(user, period.region)


@login_required
def period(request, pk: int):
    period = _period_for(request, pk)
    table = assessment.period_table(period)
    full = _full_view(request.user, period)
    if not full:  # an org sees its own row only
        table = [row for row in table if row.org.id == request.user.org_id]
    group = request.GET.get("group", "type")
    ordered = sorted(table, key=(lambda r: (r.type_label, r.rank_type or 10**6, r.org.name)) if group == "type"
                     else (lambda r: (r.region.path, r.rank_region or 10**6, r.org.name)))
    return render(request, "monitoring/period.html", {
        "period": period, "rows": ordered, "full": full, "group": group,
        "indicators": list(Indicator.objects.filter(active=True)),
        "runs": assessment.full_runs(period).count()})


@login_required
def export(request, pk: int):
    period = _period_for(request, pk)
    if not _full_view(request.user, period):
        raise PermissionDenied(_("只有政务公开办可以导出考评结果。"))
    data = assessment.export_xlsx(period, assessment.period_table(period))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''assessment-{period.pk}.xlsx"
    return response


@login_required
def self_assess(request, pk: int):
    period = _period_for(request, pk)
    org = request.user.org
    if org is None:
        raise PermissionDenied(_("没有所属机构。"))
    indicators = list(Indicator.objects.filter(active=True))
    if request.method == "POST":
        entries = {i.id: {"passed": request.POST.get(f"passed-{i.id}") == "1",
                          "points": request.POST.get(f"points-{i.id}", "0"),
                          "note": request.POST.get(f"note-{i.id}", "")} for i in indicators}
        try:
            assessment.save_self_assessment(period, org, request.user, entries)
        except ServiceError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("自评已保存。"))
            return redirect("monitoring:period", pk=period.pk)
    mine = {s.indicator_id: s for s in SelfAssessment.objects.filter(period=period, org=org)}
    rows = [{"indicator": i, "claim": mine.get(i.id), "veto": i.level == Level.VETO} for i in indicators]
    return render(request, "monitoring/self_assess.html", {"period": period, "org": org, "rows": rows})
