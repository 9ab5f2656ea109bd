"""The portal pages of the annual reports — the official publication: only published versions."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yangguang.orgs.models import Organization
from yangguang.portal.pages import page_meta, public_cache

from . import exports
from .models import ReportVersion

DOWNLOAD_LABELS = (("pdf", _lazy("PDF版")), ("docx", _lazy("Word版")), ("xlsx", _lazy("Excel表格")),
                   ("json", _lazy("数据（JSON）")))


def _published(org):
    return ReportVersion.objects.filter(report__org=org, published_at__isnull=False).select_related("report__org")


def org_reports(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    versions = _published(org).order_by("-report__year", "-number")
    years: dict[int, list] = {}
    for v in versions:
        years.setdefault(v.report.year, []).append(v)
    ctx = {"org": org, "years": sorted(years.items(), reverse=True),
           **page_meta(request, title=_("%(org)s政府信息公开工作年度报告") % {"org": org.name}, description=org.name)}
    return public_cache(render(request, "reports/public_list.html", ctx))


def _version(org_slug: str, year: int, number: str | None) -> tuple[ReportVersion, list[ReportVersion]]:
    org = get_object_or_404(Organization, slug=org_slug)
    versions = list(_published(org).filter(report__year=year).order_by("-number"))
    if not versions:
        raise Http404
    if number is None:
        return versions[0], versions
    for v in versions:
        if str(v.number) == number:
            return v, versions
    raise Http404


def detail(request, org_slug, year):
    version, versions = _version(org_slug, year, request.GET.get("v"))
    content = exports.from_version(version)
    ctx = {"org": version.report.org, "version": version, "versions": versions, "r": content,
           "download_formats": DOWNLOAD_LABELS,
           "latest": versions[0], "is_latest": version == versions[0],
           **page_meta(request, title=content.title, description=content.overview or content.title,
                       og_type="article")}
    return public_cache(render(request, "reports/public_detail.html", ctx))


def download(request, org_slug, year, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    version, _versions = _version(org_slug, year, request.GET.get("v"))
    content = exports.from_version(version)
    mime, writer = exports.FORMATS[fmt]
    data = writer(content)
    response = HttpResponse(data.encode() if isinstance(data, str) else data, content_type=mime)
    name = f"{content.title}（第{version.number}版）.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return public_cache(response)
