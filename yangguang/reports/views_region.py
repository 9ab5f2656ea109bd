"""工作台 › 公开年报 › 全区域: a supervisor's overview of every org's report in its region, the
orgs late with it (条例第49条), and the region's sum table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from yangguang.orgs import permissions

from . import layout, tables
from .rows import deadline
from .status import late_reports, report_status
from .views import year_or_404
from .workflow import Status


@login_required
def region(request, year: int):
    user = request.user
    if not permissions.reads_region(user, user.org):  # its 政务公开办 (or a superuser with an org)
        raise Http404
    year = year_or_404(year)
    today = timezone.localdate()
    orgs = list(user.org.subtree().order_by("path"))
    ids = [o.id for o in orgs]
    statuses = report_status(ids, year)
    late = {r.org.id: r for r in late_reports(user.org, year, today)}
    rows = [{"org": o, "depth": o.path.count("/") - user.org.path.count("/"), "status": Status(statuses[o.id]).label,
             "code": statuses[o.id], "deadline": deadline(o.kind, year), "late": o.id in late} for o in orgs]
    # The sum table counts every org of the region once (its own records, not report scopes).
    own = tables.per_org(year, ids)
    summed = tables.total(own, ids)
    counts = {code: sum(1 for r in rows if r["code"] == code) for code in Status.values}
    ctx = {"region": user.org, "year": year, "rows": rows, "late": list(late.values()), "today": today,
           "grids": layout.grids(summed), "counts": [(Status(c).label, n) for c, n in counts.items()],
           "years": list(range(today.year - 1, today.year - 6, -1))}
    return render(request, "reports/region.html", ctx)
