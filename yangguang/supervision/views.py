"""工作台 › 监管总览: the supervisor's dashboard, the drill-down page of one org, xlsx exports, quotas."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yangguang.core.errors import ServiceError
from yangguang.core.exports.xlsx import table_to_xlsx
from yangguang.core.workdays import Calendar
from yangguang.publishing.models import Column, Document
from yangguang.publishing.timeliness import timeliness

from . import dashboard, integrations, quotas
from .access import month_choices, month_param, org_in_region, region_of
from .models import PublicationQuota
from .stats import month_stats, overdue_applications, region_orgs, series

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def dashboard_view(request):
    region = region_of(request)
    today = timezone.localdate()
    month = month_param(request, today)
    board = dashboard.build(region, month, today)
    top = sorted(board.stats.rows, key=lambda r: (-r.total, r.path))[:15]
    return render(request, "supervision/dashboard.html", {
        "board": board, "month": month, "months": month_choices(today), "today": today, "top_rows": top,
        "trend_rows": list(zip(board.chart_months, board.chart_totals, strict=True))[::-1],
        "chart": {"months": board.chart_months, "totals": board.chart_totals,
                  "orgs": [r.name for r in top], "org_totals": [r.total for r in top]},
    })


@login_required
def org_view(request, pk: int):
    region, org = org_in_region(request, pk)
    today = timezone.localdate()
    month = month_param(request, today)
    keys, per_org = series(org, month, 12)
    own = per_org.get(org.pk, [0] * len(keys))
    row = month_stats(org, month, today).by_org()[org.pk]
    docs = (Document.objects.filter(org=org, first_published_at__gte=month.start, first_published_at__lt=month.end,
                                    removed_at__isnull=True)
            .select_related("live_edition", "column").order_by("-first_published_at")[:200])
    calendar = Calendar.from_db()
    docs = [(d, timeliness(d.live_edition, calendar) if d.live_edition else None) for d in docs]
    columns = integrations.column_status([org.pk], today)
    plain_columns = None
    if columns is None:  # monitoring not available: list the columns with their plain counts only
        plain_columns = (Column.objects.filter(org=org).annotate(
            n=Count("documents", filter=Q(documents__first_published_at__isnull=False,
                                          documents__removed_at__isnull=True)),
            last=Max("documents__first_published_at")).order_by("position", "id"))
    overdue = overdue_applications(org, today).get(org.pk, [])
    score = (integrations.latest_scores([org.pk]) or {}).get(org.pk)
    status = (integrations.report_status([org.pk], today.year - 1) or {}).get(org.pk)
    return render(request, "supervision/org.html", {
        "org": org, "region": region, "month": month, "row": row, "docs": docs, "columns": columns,
        "plain_columns": plain_columns, "overdue": overdue, "score": score, "report_status": status,
        "history": list(zip(keys, own, strict=True))[::-1], "report_year": today.year - 1,
        "months": month_choices(today),
    })


def export_table(board, name: str) -> tuple[str, list[str], list[list]]:
    """The (title, headers, rows) of the dashboard table ``name``, as exported to xlsx; 404 if unknown."""
    label = board.month.label
    today = f"{board.today:%Y-%m-%d}"
    if name == "orgs":
        rows = [[r.name, r.total, r.key_area, r.late, r.quota, r.blank_run if r.blank else 0, r.overdue_apps,
                 r.replies, r.late_replies, status or "", getattr(score, "score", "") if score else ""]
                for r, status, score in board.rows()]
        return (_("%(month)s各单位信息发布情况") % {"month": label},
                [_("单位"), _("发布条数"), _("重点领域"), _("超期发布"), _("月度任务"), _("连续空白月"), _("逾期申请"),
                 _("本月答复"), _("其中逾期答复"), _("年报状态"), _("指标得分")], rows)
    if name == "blank":
        return (_("%(month)s空白月单位") % {"month": label}, [_("单位"), _("连续空白月数")],
                [[r.name, f"{r.blank_run}+" if r.blank_run_capped else r.blank_run] for r in board.blank])
    if name == "below":
        return (_("%(month)s未完成月度发布任务单位") % {"month": label}, [_("单位"), _("发布条数"), _("月度任务")],
                [[r.name, r.total, r.quota] for r in board.below])
    if name == "overdue":
        return (_("逾期未答复的政府信息公开申请（截至%(today)s）") % {"today": today},
                [_("申请编号"), _("受理机关"), _("答复期限"), _("超期工作日")],
                [[number, org, item.due, days] for item, number, org, days in board.overdue])
    if name == "columns":
        return (_("空白栏目与长期未更新栏目"), [_("单位"), _("空白栏目"), _("长期未更新栏目")],
                [[n, e, st] for _i, n, e, st in board.column_problems])
    if name == "reports":
        lists = board.reports or {"late": [], "unpublished": []}
        rows = [[x["name"], x["deadline"], _("逾期发布"), x["published_on"]] for x in lists["late"]]
        rows += [[x["name"], x["deadline"], _("尚未发布（已超过期限）") if x["overdue"] else _("尚未发布（期限未到）"), ""]
                 for x in lists["unpublished"]]
        return (_("%(year)s年度报告未按期发布及尚未发布单位（截至%(today)s）") % {"year": board.report_year, "today": today},
                [_("单位"), _("发布期限"), _("情况"), _("发布日期")], rows)
    if name == "trend":
        return (_("近12个月信息发布条数"), [_("月份"), _("发布条数")],
                [list(x) for x in zip(board.chart_months, board.chart_totals, strict=True)])
    raise Http404


@login_required
def export_view(request, name: str):
    region = region_of(request)
    today = timezone.localdate()
    board = dashboard.build(region, month_param(request, today), today)
    title, headers, rows = export_table(board, name)
    data = table_to_xlsx(title, headers, rows, sheet=title[:31])
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return resp


@login_required
def quotas_view(request):
    region = region_of(request)
    orgs = list(region_orgs(region).values_list("id", "name", "path"))
    resolved = quotas.resolve([(o[0], o[2]) for o in orgs])
    own = dict(PublicationQuota.objects.filter(org_id__in=[o[0] for o in orgs]).values_list("org_id", "monthly"))
    names = {o[0]: o[1] for o in orgs}
    rows = [{"id": oid, "name": name, "depth": path.count("/") - region.path.count("/"), "own": own.get(oid),
             "quota": resolved[oid][0], "source": names.get(resolved[oid][1]) if resolved[oid][1] else None}
            for oid, name, path in orgs]
    return render(request, "supervision/quotas.html", {"rows": rows, "region": region,
                                                       "default": quotas.DEFAULT_MONTHLY_QUOTA})


@login_required
@require_POST
def quota_set(request, pk: int):
    _region, org = org_in_region(request, pk)
    raw = (request.POST.get("monthly") or "").strip()
    try:
        value = None if raw == "" else int(raw)
    except ValueError:
        messages.error(request, _("每月应发布条数应为整数；留空表示沿用上级设置。"))
        return redirect("supervision:quotas")
    try:
        quotas.set_quota(org, request.user, value)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已更新%(org)s的月度发布任务。") % {"org": org.name})
    return redirect("supervision:quotas")
