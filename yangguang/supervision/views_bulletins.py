"""工作台 › 通报: list, generate on demand, edit the narrative, export, issue."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yangguang.core.errors import ServiceError
from yangguang.orgs import permissions

from . import export, services
from . import facts as F
from .access import bulletin_in_region, month_choices, region_of
from .models import Bulletin
from .months import Month

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@login_required
def bulletin_list(request):
    region = region_of(request)
    today = timezone.localdate()
    bulletins = Bulletin.objects.filter(permissions.region_q(region, "region")).select_related("region")
    months = month_choices(today)[1:]  # finished months only
    return render(request, "supervision/bulletins.html", {"bulletins": bulletins, "months": months,
                                                          "region": region})


@login_required
@require_POST
def bulletin_generate(request):
    region = region_of(request)
    try:
        month = Month.parse(request.POST.get("month", ""))
        bulletin, created = services.generate_draft(region, month, request.user)
    except ValueError:
        messages.error(request, _("请选择月份。"))
        return redirect("supervision:bulletins")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:bulletins")
    if created:
        messages.success(request, _("已生成%(month)s通报草稿。") % {"month": month.label})
    else:
        messages.info(request, _("%(month)s通报已存在，已为您打开。") % {"month": month.label})
    return redirect("supervision:bulletin", pk=bulletin.pk)


@login_required
def bulletin_detail(request, pk: int):
    bulletin = bulletin_in_region(request, pk)
    facts = services.facts_of(bulletin)
    return render(request, "supervision/bulletin.html", {
        "bulletin": bulletin, "facts": facts, "blocks": services.document_blocks(bulletin, facts),
        "report_lists": F.report_lists(facts),
        "visibilities": Bulletin.Visibility.choices,
    })


@login_required
@require_POST
def bulletin_edit(request, pk: int):
    bulletin = bulletin_in_region(request, pk)
    try:
        services.update_narrative(bulletin, request.user, request.POST.get("narrative", ""),
                                  request.POST.get("title"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("通报文字已保存。"))
    return redirect("supervision:bulletin", pk=pk)


@login_required
@require_POST
def bulletin_issue(request, pk: int):
    bulletin = bulletin_in_region(request, pk)
    try:
        bulletin = services.issue(bulletin, request.user, request.POST.get("visibility", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("通报已签发并公开发布。") if bulletin.is_public else _("通报已签发（内部印发）。"))
    return redirect("supervision:bulletin", pk=pk)


def file_response(bulletin: Bulletin, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    blocks = services.document_blocks(bulletin)
    data = export.to_docx(blocks) if fmt == "docx" else export.to_pdf(blocks)
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(bulletin.title)}.{fmt}"
    return resp


@login_required
def bulletin_file(request, pk: int, fmt: str):
    return file_response(bulletin_in_region(request, pk), fmt)
