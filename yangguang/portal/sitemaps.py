"""sitemap.xml for a city's million documents: an index pointing at sections of at most
50,000 URLs (the sitemaps.org limit). Sections are id ranges, so no page needs OFFSET
or a COUNT over the whole table: `docs-k` holds the public documents with
k*50,000 < id <= (k+1)*50,000 (fewer when some are not public)."""

from xml.sax.saxutils import escape

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse

from yangguang.core.text import xml_safe
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document

from .pages import doc_key

PER_FILE = 50_000  # sitemaps.org: at most 50,000 URLs per file
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _buckets(model) -> int:
    top = model.objects.aggregate(m=Max("id"))["m"] or 0
    return top // PER_FILE + 1 if top else 0


def _xml(body: list[str]) -> HttpResponse:
    # xml_safe: a character XML 1.0 cannot carry, wherever it came from, must not break the file.
    resp = HttpResponse(xml_safe('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(body) + "\n"),
                        content_type="application/xml; charset=utf-8")
    resp["Cache-Control"] = "public, max-age=3600"
    return resp


def _url(loc: str, lastmod=None) -> str:
    mod = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{mod}</url>"


def index(request):
    base = request.build_absolute_uri("/")[:-1]
    locs = [reverse("discovery:sitemap_orgs")]
    locs += [reverse("discovery:sitemap_columns", args=[k]) for k in range(_buckets(Column))]
    locs += [reverse("discovery:sitemap_docs", args=[k]) for k in range(_buckets(Document))]
    return _xml([f"<sitemapindex {NS}>", *(f"<sitemap><loc>{escape(base + loc)}</loc></sitemap>" for loc in locs),
                 "</sitemapindex>"])


def orgs(request):
    base = request.build_absolute_uri("/")[:-1]
    body = [f"<urlset {NS}>", _url(base + reverse("portal:home")), _url(base + reverse("portal:orgs"))]
    for slug in Organization.objects.order_by("id").values_list("slug", flat=True).iterator(chunk_size=5000):
        body.append(_url(base + reverse("portal:org", args=[slug])))
        body.append(_url(base + reverse("portal:guide", args=[slug])))
    body.append("</urlset>")
    return _xml(body)


def columns(request, k: int):
    if k >= _buckets(Column):
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    rows = (Column.objects.filter(id__gt=k * PER_FILE, id__lte=(k + 1) * PER_FILE).order_by("id")
            .values_list("org__slug", "slug"))
    body = [f"<urlset {NS}>"]
    body += [_url(f"{base}/{o}/{c}/") for o, c in rows.iterator(chunk_size=5000)]
    body.append("</urlset>")
    return _xml(body)


def docs(request, k: int):
    if k >= _buckets(Document):
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    rows = (Document.objects.public().filter(id__gt=k * PER_FILE, id__lte=(k + 1) * PER_FILE).order_by("id")
            .values_list("org__slug", "column__slug", "index_year", "index_serial", "last_published_at"))
    body = [f"<urlset {NS}>"]
    # Built by string, not reverse(): 50,000 reverse() calls would dominate the response time.
    body += [_url(f"{base}/{o}/{c}/{doc_key(y, s)}/", at) for o, c, y, s, at in rows.iterator(chunk_size=5000)]
    body.append("</urlset>")
    return _xml(body)
