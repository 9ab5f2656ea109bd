"""The open, read-only public API (/api/v1/public/): organizations, their 公开目录, documents.

Only what the portal shows: `Document.objects.public()`. A draft, a document in review, a
scheduled one not yet live, a withdrawn or a removed one answers exactly like an id that never
existed (404, same body), so the API cannot be used to learn that unpublished work exists.

Lists are ordered by an indexed key (first publication time, then id) so they stay fast at a
million documents; deep pages use a cursor (keyset) instead of OFFSET. Anonymous callers are
rate-limited per IP through the shared database cache (`disclosure.ratelimit`, rule "api_ip",
overridable with settings.YANGGUANG_RATE_LIMITS).
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from yangguang.disclosure import ratelimit
from yangguang.orgs.models import Organization, OrgKind
from yangguang.publishing.models import Column, Document
from yangguang.publishing.taxonomy import Genre, InterpretationForm, Topic, UpdateClass, Validity

from . import public_schemas as s

router = Router(tags=["公众 · 开放数据（只读）"])

RATE_RULE = "api_ip"
MAX_PER_PAGE = 100
# OFFSET paging stops here; further pages go by cursor, which costs the same at any depth.
MAX_OFFSET = 10_000

NOT_FOUND = {
    "org": gettext_lazy("未找到该机构。"),
    "column": gettext_lazy("未找到该栏目。"),
    "document": gettext_lazy("未找到该政府信息，或该信息未公开。"),
}
ERRORS = {404: s.Error, 422: s.Error, 429: s.Error}


class ParamError(Exception):
    """A request parameter that passes its type but not the rules (answered as 422)."""


def _err(status: int, detail: str, errors: list[str] | None = None) -> Status:
    return Status(status, {"detail": str(detail), "errors": [str(e) for e in errors or []]})


def throttled(view):
    """Anonymous callers: count the request against the per-IP limit; over it, 429 + Retry-After."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            verdict = ratelimit.hit(RATE_RULE, ratelimit.client_ip(request))
            if not verdict.allowed:
                resp = JsonResponse({"detail": _("请求过于频繁，请稍后再试。"), "errors": [],
                                     "retry_after": verdict.retry_after}, status=429)
                resp["Retry-After"] = str(verdict.retry_after)
                return resp
        try:
            return view(request, *args, **kwargs)
        except ParamError as exc:
            return _err(422, _("请求参数有误。"), [str(exc)])

    return wrapper


# --- serialisation ------------------------------------------------------------------------------

def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@functools.cache
def _labels(choices, language: str | None) -> dict[str, str]:
    # get_FOO_display() hashes the lazy choices on every call: a tenth of a second per 100 rows.
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def label(choices, value: str) -> str:
    return _labels(choices, translation.get_language()).get(value, value)


def url_maker(name: str, *placeholders: str):
    """reverse() once, then fill slugs in (slugs cannot contain the placeholder characters)."""
    template = reverse(name, args=[f"__{p}__" for p in placeholders])

    def make(**values) -> str:
        path = template
        for key, value in values.items():
            path = path.replace(f"__{key}__", value)
        return absolute(path)

    return make


def org_out(org: Organization, parent_slug: str | None, org_url=None) -> dict:
    org_url = org_url or url_maker("portal:org", "org")
    return {"slug": org.slug, "name": org.name, "short_name": org.short_name, "kind": org.kind,
            "kind_label": label(OrgKind, org.kind), "parent": parent_slug, "code": org.code,
            "url": org_url(org=org.slug)}


def doc_summary(doc: Document, doc_url=None) -> dict:
    e = doc.live_edition
    doc_url = doc_url or url_maker("portal:document", "org", "column", "key")
    return {
        "id": doc.public_id, "index_number": doc.index_number, "title": e.title,
        "org": doc.org.slug, "org_name": doc.org.name, "column": doc.column.slug, "column_name": doc.column.name,
        "doc_number": e.doc_number, "written_date": e.written_date, "published_date": e.published_date,
        "updated_at": doc.last_published_at,
        "topic": e.topic, "topic_label": label(Topic, e.topic),
        "genre": e.genre, "genre_label": label(Genre, e.genre),
        "validity": e.validity, "validity_label": label(Validity, e.validity),
        "url": doc_url(org=doc.org.slug, column=doc.column.slug, key=f"{doc.index_year}-{doc.index_serial:05d}"),
        "match": None,
    }


def doc_ref(doc: Document) -> dict:
    summary = doc_summary(doc)
    return {"id": doc.public_id, "index_number": doc.index_number, "title": summary["title"], "url": summary["url"],
            "interpretation_form": doc.interpretation_form,
            "interpretation_form_label": label(InterpretationForm, doc.interpretation_form) if doc.interpretation_form
            else ""}


def attachment_url(att) -> str:
    try:
        return absolute(reverse("portal:attachment_named", args=[att.public_id, att.original_name]))
    except NoReverseMatch:  # a name the URL pattern cannot carry (e.g. with "/")
        return absolute(reverse("portal:attachment", args=[att.public_id]))


# --- organizations and columns ------------------------------------------------------------------

def _org(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


class OrgFilters(Schema):
    region: str | None = Field(None, description="地区：机构网址标识，返回该机构及其全部下属机构")
    kind: OrgKind | None = Field(None, description="机构类型")


@router.get("/orgs", response={200: s.OrgList, **ERRORS}, summary="机构列表",
            description="全部机构，按上下级顺序。可按地区（该机构及其下属机构）和类型筛选。")
@throttled
def list_orgs(request, filters: Query[OrgFilters]):
    region, kind = filters.region, filters.kind
    qs = Organization.objects.all()
    if region:
        root = _org(region)
        if root is None:
            return _err(404, NOT_FOUND["org"])
        qs = root.subtree()
    qs = qs.select_related("parent").order_by("path")
    if kind:
        qs = qs.filter(kind=kind)
    org_url = url_maker("portal:org", "org")
    items = [org_out(o, o.parent.slug if o.parent_id else None, org_url) for o in qs]
    return {"total": len(items), "items": items}


@router.get("/orgs/{slug}", response={200: s.OrgDetail, **ERRORS}, summary="机构详情")
@throttled
def get_org(request, slug: str):
    org = Organization.objects.select_related("parent").filter(slug=slug).first()
    if org is None:
        return _err(404, NOT_FOUND["org"])
    return {**org_out(org, org.parent.slug if org.parent_id else None), "address": org.address,
            "phone": org.phone, "office_hours": org.office_hours,
            "public_documents": Document.objects.public().filter(org=org).count()}


@router.get("/orgs/{slug}/columns", response={200: s.ColumnTree, **ERRORS}, summary="机构的公开目录（栏目树）",
            description="栏目树及每个栏目的已公开信息条数（上级栏目的 total_count 含下级栏目）。")
@throttled
def org_columns(request, slug: str):
    org = _org(slug)
    if org is None:
        return _err(404, NOT_FOUND["org"])
    public = Q(documents__live_edition__isnull=False, documents__withdrawn_at__isnull=True,
               documents__removed_at__isnull=True)
    columns = list(Column.objects.filter(org=org).annotate(n=Count("documents", filter=public))
                   .order_by("position", "id"))
    column_url = url_maker("portal:column", "org", "column")
    nodes = {c.id: {"slug": c.slug, "name": c.name, "update_class": c.update_class,
                    "update_class_label": label(UpdateClass, c.update_class), "public_count": c.n,
                    "total_count": c.n, "url": column_url(org=org.slug, column=c.slug), "children": []}
             for c in columns}
    roots = []
    for c in columns:
        (nodes[c.parent_id]["children"] if c.parent_id in nodes else roots).append(nodes[c.id])

    def total(node) -> int:
        node["total_count"] = node["public_count"] + sum(total(ch) for ch in node["children"])
        return node["total_count"]

    for node in roots:
        total(node)
    return {"org": org.slug, "items": roots}


# --- documents ----------------------------------------------------------------------------------

class DocumentFilters(Schema):
    org: str | None = Field(None, description="发布机构的网址标识")
    column: str | None = Field(None, description="栏目网址标识（须同时给出 org；不含下级栏目）")
    topic: Topic | None = Field(None, description="主题分类代码（01–22）")
    genre: Genre | None = Field(None, description="体裁代码")
    year: int | None = Field(None, ge=1949, le=2100, description="发布日期所在年份")
    validity: Validity | None = Field(None, description="有效性")
    q: str | None = Field(None, max_length=200, description="全文检索词（标题权重高于正文）")
    sort: Literal["relevance", "date"] | None = Field(
        None, description="排序：relevance 相关度（仅全文检索，默认）或 date 发布时间（新的在前）")
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE, description="每页条数（1–100）")
    cursor: str | None = Field(None, max_length=200, description="游标：上一页返回的 next_cursor；给出时忽略 page")


def encode_cursor(doc: Document) -> str:
    raw = f"{doc.first_published_at.isoformat()}|{doc.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None:
            raise ValueError
        return parsed, int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ParamError(_("游标“cursor”无效，请使用上一页返回的 next_cursor。")) from None


def _search_page(f: DocumentFilters) -> dict:
    from yangguang.core.search import search  # the search backend is optional until built

    if f.column:
        raise ParamError(_("全文检索不支持按栏目筛选，请改用机构（org）等条件。"))
    if f.cursor:
        raise ParamError(_("全文检索按页码翻页，不支持游标（cursor）。"))
    if f.page * f.per_page > MAX_OFFSET + f.per_page:
        raise ParamError(_("页码过大：全文检索最多浏览前 %(n)d 条结果，请缩小检索范围。") % {"n": MAX_OFFSET})
    res = search(f.q, org=f.org, topic=f.topic and f.topic.value, genre=f.genre and f.genre.value, year=f.year,
                 validity=f.validity and f.validity.value, sort=f.sort or "relevance", page=f.page,
                 per_page=f.per_page)
    items = []
    doc_url = url_maker("portal:document", "org", "column", "key")
    for hit in res.hits:
        item = doc_summary(hit.document, doc_url)
        item["match"] = {"score": hit.score, "title_html": str(hit.title_html), "snippet_html": str(hit.snippet_html)}
        items.append(item)
    facets = {name: [{"value": str(v), "label": str(label), "count": n} for v, label, n in values]
              for name, values in (res.facets or {}).items()}
    return {"total": res.total, "page": res.page, "pages": res.pages, "per_page": f.per_page,
            "next_cursor": None, "items": items, "facets": facets, "total_estimated": res.total_estimated,
            "estimated_facets": sorted(res.estimated - {"total"})}


@router.get("/documents", response={200: s.DocumentPage, **ERRORS}, summary="政府信息列表与全文检索",
            description=(
                "已公开的政府信息。无 q 时按发布时间倒序（同一时间按编号），可按页码（前 10000 条）"
                "或游标（next_cursor，任意深度）翻页；有 q 时为全文检索，返回命中高亮和分面计数。"))
@throttled
def list_documents(request, filters: Query[DocumentFilters]):
    f = filters
    if f.column and not f.org:
        raise ParamError(_("按栏目（column）筛选时须同时给出机构（org）。"))
    if f.org and _org(f.org) is None:
        return _err(404, NOT_FOUND["org"])
    if f.q is not None and f.q.strip():
        return _search_page(f)
    if f.sort == "relevance":
        raise ParamError(_("按相关度排序（sort=relevance）须给出检索词 q。"))

    qs = Document.objects.public()
    if f.org:
        qs = qs.filter(org__slug=f.org)
        if f.column:
            column = Column.objects.filter(org__slug=f.org, slug=f.column).first()
            if column is None:
                return _err(404, NOT_FOUND["column"])
            qs = qs.filter(column=column)
    if f.topic:
        qs = qs.filter(live_edition__topic=f.topic.value)
    if f.genre:
        qs = qs.filter(live_edition__genre=f.genre.value)
    if f.validity:
        qs = qs.filter(live_edition__validity=f.validity.value)
    if f.year:
        # 发布日期 may differ from the first publication time (imports, back-filed documents), so
        # this filters the edition's date itself — the same year the search facets count.
        qs = qs.filter(live_edition__published_date__gte=date(f.year, 1, 1),
                       live_edition__published_date__lt=date(f.year + 1, 1, 1))
    # The count is the costly part at a million rows; a cursor page repeats none of it (the first
    # page gave the total).
    total = None if f.cursor else qs.count()
    ordered = qs.select_related("org", "column", "live_edition").order_by("-first_published_at", "-id")
    if f.cursor:
        at, pk = decode_cursor(f.cursor)
        # The redundant `lte` lets the database start the index range at the cursor.
        window = ordered.filter(first_published_at__lte=at).filter(
            Q(first_published_at__lt=at) | Q(first_published_at=at, id__lt=pk))
        page = pages = None
    else:
        offset = (f.page - 1) * f.per_page
        if offset > MAX_OFFSET:
            raise ParamError(_("页码过大：按页码最多翻到第 %(n)d 条，更深的结果请用游标（cursor）翻页。") % {"n": MAX_OFFSET})
        window = ordered[offset:]
        page, pages = f.page, max(1, math.ceil(total / f.per_page))
    rows = list(window[: f.per_page + 1])
    more = len(rows) > f.per_page
    rows = rows[: f.per_page]
    doc_url = url_maker("portal:document", "org", "column", "key")
    return {"total": total, "page": page, "pages": pages, "per_page": f.per_page,
            "next_cursor": encode_cursor(rows[-1]) if more else None,
            "items": [doc_summary(d, doc_url) for d in rows], "facets": None}


def _detail(doc: Document | None):
    if doc is None:
        return _err(404, NOT_FOUND["document"])
    policy = doc.interpretation_of
    interpretations = (Document.objects.public().filter(interpretation_of=doc)
                       .select_related("org", "column", "live_edition").order_by("first_published_at", "id"))
    e = doc.live_edition
    return {
        **doc_summary(doc),
        "keywords": e.keywords, "validity_date": e.validity_date, "abolished_by": e.abolished_by,
        "edition": e.number, "change_kind": e.change_kind, "change_note": e.change_note,
        "first_published_at": doc.first_published_at, "body_html": e.body,
        "interpretation_of": doc_ref(policy) if policy is not None and policy.is_public else None,
        "interpretations": [doc_ref(d) for d in interpretations],
        "attachments": [
            {"id": a.public_id, "name": a.original_name, "content_type": a.content_type, "type_label": a.type_label,
             "size": a.size, "size_label": a.size_label, "sha256": a.sha256, "url": attachment_url(a)}
            for a in e.attachments.all()
        ],
    }


def _public_docs():
    return Document.objects.public().select_related(
        "org", "column", "live_edition", "interpretation_of__org", "interpretation_of__column",
        "interpretation_of__live_edition")


@router.get("/documents/{document_id}", response={200: s.DocumentDetail, **ERRORS}, summary="政府信息详情（按公开编号）")
@throttled
def get_document(request, document_id: UUID):
    return _detail(_public_docs().filter(public_id=document_id).first())


@router.get("/index-numbers/{org_code}/{serial}", response={200: s.DocumentDetail, **ERRORS},
            summary="政府信息详情（按索引号）",
            description="索引号原样放入路径，例如 /index-numbers/11530100MB0X12345X/2026-00012。")
@throttled
def get_by_index_number(request, org_code: str, serial: str):
    return _detail(_public_docs().filter(index_number=f"{org_code}/{serial}").first())
