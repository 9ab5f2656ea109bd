"""工作台 › 公开年报: the user's org reports, the editor (narrative, computed tables with their
checks, proposed figures, entered figures), finalize, publish, correct. Staff act only on their own
org, and only its leaders finalize, publish and correct (services.report_actions, from
orgs.permissions); a supervisor reads every org of its region."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yangguang.core.errors import ServiceError
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization

from . import catalog, checks, exports, layout, replies, services, tables
from .forms import CorrectForm, FiguresForm, NarrativeForm
from .models import AnnualReport, EnteredFigures, ReportVersion
from .rows import deadline
from .scope import scope_ids
from .workflow import Status


def default_year() -> int:
    """Reports cover the previous calendar year (条例第49条)."""
    return timezone.localdate().year - 1


def _org(request, org_id: int) -> Organization:
    org = get_object_or_404(Organization, pk=org_id)
    if not permissions.reads_org(request.user, org):
        raise Http404
    return org


def year_or_404(year: int) -> int:
    """A report year from the URL (``services.valid_year``), else 404."""
    if not services.valid_year(year):
        raise Http404
    return year


@login_required
def home(request):
    user = request.user
    year = default_year()
    org = user.org
    rows = []
    if org is not None:
        reports = {r.year: r for r in AnnualReport.objects.filter(org=org)}
        years = sorted(set(reports) | {year}, reverse=True)
        for y in years:
            status = services.status_of(reports.get(y))
            rows.append({"year": y, "status": Status(status).label, "code": status, "deadline": deadline(org.kind, y)})
    ctx = {"org": org, "rows": rows, "year": year,
           "is_region_reader": permissions.reads_region(user, user.org)}
    return render(request, "reports/home.html", ctx)


def _editor_context(request, org: Organization, year: int, *, narrative=None, figures_form=None) -> dict:
    report = AnnualReport.objects.filter(org=org, year=year).first()
    computed = replies.with_figures(tables.compute(org, year), scope_ids(org), year)
    fee = services.fee_total_yuan(scope_ids(org), year)
    figures = EnteredFigures.objects.filter(org=org, year=year).select_related("entered_by").first()
    if narrative is None:
        narrative = NarrativeForm(initial={k: getattr(report, k, "") for k in services.NARRATIVE})
    if figures_form is None:
        initial = {k: getattr(figures, k) for k in ("licensing", "penalty", "enforcement", "fees")} if figures else {}
        figures_form = FiguresForm(initial=initial)
    status = services.status_of(report)
    versions = list(report.versions.order_by("-number")) if report else []
    return {
        "org": org, "year": year, "report": report, "status": status, "status_label": Status(status).label,
        "grids": layout.grids(computed), "problems": checks.problems(computed),
        "proposals": checks.proposals(computed, fee), "fee": fee, "figures": figures,
        "narrative": narrative, "figures_form": figures_form, "correct_form": CorrectForm(),
        "versions": versions, **{f"can_{name}": ok for name, ok in services.report_actions(request.user, org).items()},
        "scope": list(Organization.objects.filter(id__in=scope_ids(org)).values_list("name", flat=True)),
        "deadline": deadline(org.kind, year),
        "foreign_documents": list(catalog.foreign_documents(org)[:20]),
    }


@login_required
def editor(request, org_id: int, year: int):
    org, year = _org(request, org_id), year_or_404(year)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.save_narrative(org, year, request.user, **form.cleaned_data)
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("报告正文已保存。"))
                return redirect("reports:edit", org.id, year)
        return render(request, "reports/editor.html", _editor_context(request, org, year, narrative=form))
    return render(request, "reports/editor.html", _editor_context(request, org, year))


@login_required
@require_POST
def figures(request, org_id: int, year: int):
    org, year = _org(request, org_id), year_or_404(year)
    form = FiguresForm(request.POST)
    if form.is_valid():
        try:
            services.enter_figures(org, year, request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("录入数据已保存。"))
            return redirect("reports:edit", org.id, year)
    return render(request, "reports/editor.html", _editor_context(request, org, year, figures_form=form))


def _action(request, org_id: int, year: int, run, done: str):
    org, year = _org(request, org_id), year_or_404(year)
    report = AnnualReport.objects.filter(org=org, year=year).first()
    try:
        if report is None:
            raise ServiceError(_("请先保存报告正文。"))
        version = run(report)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"n": version.number})
    return redirect("reports:edit", org.id, year)


@login_required
@require_POST
def finalize(request, org_id: int, year: int):
    return _action(request, org_id, year, lambda r: services.finalize(r, request.user), _("已定稿（第%(n)d版）。"))


@login_required
@require_POST
def publish(request, org_id: int, year: int):
    return _action(request, org_id, year, lambda r: services.publish(r, request.user), _("第%(n)d版已在公众网站发布。"))


@login_required
@require_POST
def correct(request, org_id: int, year: int):
    form = CorrectForm(request.POST)
    reason = form.data.get("reason", "")
    return _action(request, org_id, year, lambda r: services.correct(r, request.user, reason=reason),
                   _("更正版本（第%(n)d版）已发布，原版本仍可查阅。"))


def _version_for(request, pk: int) -> ReportVersion:
    version = get_object_or_404(ReportVersion.objects.select_related("report__org"), pk=pk)
    if not permissions.reads_org(request.user, version.report.org):
        raise Http404
    return version


@login_required
def version(request, pk: int):
    v = _version_for(request, pk)
    return render(request, "reports/version.html", {"v": v, "r": exports.from_version(v), "org": v.report.org})


@login_required
def version_download(request, pk: int, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    v = _version_for(request, pk)
    mime, writer = exports.FORMATS[fmt]
    data = writer(exports.from_version(v))
    response = HttpResponse(data.encode() if isinstance(data, str) else data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="report-{v.report.org.slug}-{v.report.year}-v{v.number}.{fmt}"'
    return response

