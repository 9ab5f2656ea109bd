"""工作台 › 监测整改: my org's indicators and rectifications; for 政务公开办 the region's results,
drill-down, the run button and the rectification list with 虚报 flags."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yangguang.core import audit
from yangguang.core.errors import ServiceError
from yangguang.disclosure.models import Application
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document
from yangguang.publishing.urlsutil import public_url

from . import engine, rectify
from .models import IndicatorResult, MonitoringRun, Rectification
from .rectify_table import OPEN_STATES, State


def sees_everything(user) -> bool:
    """A system administrator without an org: the monitoring pages cover every org."""
    return permissions.is_system_admin(user) and user.org_id is None


def region_orgs(user):
    """The orgs whose monitoring ``user`` oversees (``permissions.is_supervisor``): its org's subtree,
    or every org for a system administrator without an org."""
    if sees_everything(user):
        return Organization.objects.all()
    return user.org.subtree()


def _require_supervisor(user) -> None:
    if not permissions.is_supervisor(user):
        raise PermissionDenied(_("只有政务公开办可以查看本区域的监测结果。"))


def show_error(request, exc: ServiceError) -> None:
    """A refused service call as page messages: its message, then each detail."""
    messages.error(request, exc.message)
    for detail in exc.details:
        messages.error(request, detail)


def _flag_overdue(rects, today):
    for r in rects:
        r.overdue = rectify.is_overdue(r, today)
    return rects


def drill_down(results: list[IndicatorResult]) -> dict[int, list[dict]]:
    """The offending columns / documents / applications of each result, named and linked
    (three queries for the whole page)."""
    col_ids, doc_ids, app_ids = set(), set(), set()
    for r in results:
        col_ids.update((r.details or {}).get("columns", []))
        doc_ids.update((r.details or {}).get("documents", []))
        app_ids.update((r.details or {}).get("applications", []))
    cols = {c.id: c for c in Column.objects.filter(id__in=col_ids).select_related("org")}
    docs = {d.id: d for d in Document.objects.filter(id__in=doc_ids).select_related("org", "column", "live_edition")}
    apps = {a.id: a for a in Application.objects.filter(id__in=app_ids)}
    out: dict[int, list[dict]] = {}
    for r in results:
        items = []
        for cid in (r.details or {}).get("columns", []):
            if cid in cols:
                c = cols[cid]
                items.append({"label": c.name, "kind": _("栏目"),
                              "url": reverse("portal:column", args=[c.org.slug, c.slug])})
        for did in (r.details or {}).get("documents", []):
            if did in docs:
                d = docs[did]
                title = d.live_edition.title if d.live_edition else str(d)
                items.append({"label": f"{title}（{d.index_number or '—'}）", "kind": _("文件"),
                              "url": public_url(d) if d.is_public else None})
        for aid in (r.details or {}).get("applications", []):
            if aid in apps:
                items.append({"label": apps[aid].number, "kind": _("申请"),
                              "url": reverse("applications:detail", args=[aid])})
        out[r.pk] = items
    return out


@login_required
def home(request):
    user = request.user
    org = user.org
    score = engine.latest_results([org.id]).get(org.id) if org else None
    results = score.results if score else []
    links = drill_down(results)
    for r in results:
        r.items = links.get(r.pk, [])
    rects = _flag_overdue(list(Rectification.objects.filter(org=org, state__in=OPEN_STATES)
                               .select_related("indicator")), timezone.localdate()) if org else []
    return render(request, "monitoring/home.html", {
        "org": org, "score": score, "results": results, "rects": rects,
        "supervisor": permissions.is_supervisor(user)})


@login_required
def region(request):
    _require_supervisor(request.user)
    orgs = list(region_orgs(request.user).order_by("path"))
    scores = engine.latest_results([o.id for o in orgs])
    show = request.GET.get("show", "")
    rows = []
    for o in orgs:
        s = scores.get(o.id)
        if show == "fail" and (s is None or s.verdict == "合格"):
            continue
        rows.append({"org": o, "score": s})
    rows.sort(key=lambda r: (r["score"] is None, r["score"] and r["score"].verdict == "合格",
                             r["score"].score if r["score"] else 0, r["org"].path))
    last_run = MonitoringRun.objects.filter(finished_at__isnull=False, indicator__isnull=True).first()
    return render(request, "monitoring/region.html", {
        "rows": rows, "show": show, "last_run": last_run, "measured": len(scores), "total": len(orgs),
        "failing": sum(1 for s in scores.values() if s.verdict != "合格"),
        "vetoed": sum(1 for s in scores.values() if s.vetoed)})


@login_required
@require_POST
def run_now(request):
    _require_supervisor(request.user)
    scope = None if sees_everything(request.user) else request.user.org
    done = engine.run(trigger=MonitoringRun.Trigger.MANUAL, by=request.user, scope_org=scope)
    r = done.stats.get("rectifications", {})
    messages.success(request, _("监测完成：%(orgs)s个机构，不合格%(failed)s项；新增整改事项%(opened)s件，"
                                "销号%(closed)s件，虚报整改%(flagged)s件。") % {
        "orgs": done.orgs, "failed": done.failed, "opened": r.get("opened", 0), "closed": r.get("closed", 0),
        "flagged": r.get("flagged", 0)})
    return redirect("monitoring:region")


@login_required
def org_detail(request, org_id: int):
    org = get_object_or_404(Organization, pk=org_id)
    if not permissions.reads_org(request.user, org):
        raise Http404
    score = engine.latest_results([org.id]).get(org.id)
    results = score.results if score else []
    links = drill_down(results)
    for r in results:
        r.items = links.get(r.pk, [])
    history = [engine.score_of(org.id, rs) for rs in _recent_runs(org)]
    rects = _flag_overdue(list(Rectification.objects.filter(org=org).select_related("indicator")[:50]),
                          timezone.localdate())
    return render(request, "monitoring/org_detail.html", {
        "org": org, "score": score, "results": results, "history": history, "rects": rects})


def _recent_runs(org, limit: int = 30) -> list[list[IndicatorResult]]:
    run_ids = list(IndicatorResult.objects.filter(org=org, run__indicator__isnull=True, run__finished_at__isnull=False)
                   .order_by("-run_id").values_list("run_id", flat=True).distinct()[:limit])
    by_run: dict[int, list[IndicatorResult]] = {}
    for r in IndicatorResult.objects.filter(org=org, run_id__in=run_ids).select_related("indicator", "run"):
        by_run.setdefault(r.run_id, []).append(r)
    return [by_run[i] for i in sorted(by_run, reverse=True)]


@login_required
def rectifications(request):
    user = request.user
    qs = Rectification.objects.select_related("org", "indicator")
    if permissions.is_supervisor(user):
        qs = qs.filter(org__in=region_orgs(user))
    else:
        qs = qs.filter(org_id=user.org_id)
    false_count = qs.filter(state=State.FALSE_CLAIM).count()
    state = request.GET.get("state", "pending")
    if state == "pending":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in State.values:
        qs = qs.filter(state=state)
    # 虚报整改 first, then the nearest deadline.
    qs = qs.order_by(Case(When(state=State.FALSE_CLAIM, then=0), default=1), "deadline", "org__path", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _flag_overdue(page.object_list, timezone.localdate())
    return render(request, "monitoring/rectifications.html", {
        "page": page, "state": state, "states": State.choices, "false_count": false_count})


HISTORY_LABELS = {
    "rectification.open": gettext_lazy("监测不合格，发起整改"),
    "rectification.answer": gettext_lazy("答复整改情况"),
    "rectification.claim": gettext_lazy("报告已整改，申请复测"),
    "rectification.pass": gettext_lazy("复测合格，销号"),
    "rectification.fail": gettext_lazy("复测仍不合格，标记为虚报整改"),
}


def _rect_for(request, pk: int) -> Rectification:
    rect = get_object_or_404(Rectification.objects.select_related("org", "indicator", "last_result",
                                                                  "closed_by_result", "answered_by"), pk=pk)
    if not permissions.reads_org(request.user, rect.org):
        raise Http404
    return rect


@login_required
def rectification(request, pk: int):
    rect = _rect_for(request, pk)
    shown = [r for r in (rect.last_result, rect.closed_by_result) if r is not None]
    links = drill_down(shown)
    return render(request, "monitoring/rectification.html", {
        "rect": rect, "items": links.get(rect.last_result_id, []) if rect.last_result_id else [],
        "can_answer": rect.state != State.CLOSED and permissions.can_answer_rectification(request.user, rect),
        "can_remeasure": rect.state != State.CLOSED and permissions.can_remeasure(request.user, rect),
        "overdue": rectify.is_overdue(rect), "history": [
            (h, HISTORY_LABELS.get(h.action, h.action)) for h in audit.history("monitoring.rectification", rect.pk)]})


@login_required
@require_POST
def answer(request, pk: int):
    rect = _rect_for(request, pk)
    claim = request.POST.get("claim") == "1"
    try:
        rect = rectify.answer(rect, request.user, request.POST.get("answer", ""), claim_fixed=claim)
    except ServiceError as exc:
        show_error(request, exc)
    else:
        if rect.state == State.CLOSED:
            messages.success(request, _("复测合格，整改事项已销号。"))
        elif rect.state == State.FALSE_CLAIM:
            messages.error(request, _("复测仍不合格：已报“已整改”但测量结果未改变，已作为虚报整改报告政务公开办。"))
        else:
            messages.success(request, _("整改情况已提交。"))
    return redirect("monitoring:rectification", pk=pk)


@login_required
@require_POST
def remeasure(request, pk: int):
    rect = _rect_for(request, pk)
    try:
        rect = rectify.remeasure(rect, request.user)
    except ServiceError as exc:
        show_error(request, exc)
    else:
        if rect.state == State.CLOSED:
            messages.success(request, _("复测合格，整改事项已销号。"))
        else:
            messages.warning(request, _("复测仍不合格，整改事项保持未销号。"))
    return redirect("monitoring:rectification", pk=pk)
