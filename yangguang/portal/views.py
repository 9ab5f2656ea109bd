"""The plain public side: home, org directory, catalog, column lists, document pages, attachments.
Only `Document.objects.public()` is ever listed here."""

from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.orgs.models import Organization
from yangguang.orgs.permissions import reads_org
from yangguang.publishing.models import Attachment, Column, Document
from yangguang.publishing.services.attachments import stored_path

from .pages import cached_render, doc_path, etag_for, feed_links, page_meta, public_cache, url_or_empty
from .regions import regions
from .state import column_state, document_state

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
HOME_PER_REGION = 6
COLUMN_PAGE_SIZE = 20
# 重点领域 (条例第20、21条 and the 基层政务公开标准目录 domains): (column slug, name).
FOCUS_AREAS = [
    ("shjz", gettext_lazy("社会救助")), ("ywjy", gettext_lazy("义务教育")), ("czyjs", gettext_lazy("财政预决算")),
    ("zdjsxm", gettext_lazy("重大建设项目")), ("shbx", gettext_lazy("社会保险")), ("jy", gettext_lazy("就业")),
    ("ylfw", gettext_lazy("养老服务")), ("bzxzf", gettext_lazy("保障性住房")), ("ggzyjy", gettext_lazy("公共资源交易")),
    ("aqsc", gettext_lazy("安全生产")), ("wsjk", gettext_lazy("卫生健康")), ("snbt", gettext_lazy("涉农补贴")),
]
LIST_FIELDS = ("id", "index_number", "index_year", "index_serial", "first_published_at", "org_id", "column_id",
               "interpretation_form", "live_edition__title", "live_edition__published_date")


def _rows(docs, org=None, column=None) -> list[dict]:
    """List rows with their URLs, from a queryset that selected (or was given) org and column."""
    out = []
    for d in docs:
        o, c = org or d.org, column or d.column
        out.append({"title": d.live_edition.title, "url": doc_path(o.slug, c.slug, d.index_year, d.index_serial),
                    "date": d.live_edition.published_date or d.first_published_at, "index_number": d.index_number,
                    "org": o, "column": c,
                    "form": d.get_interpretation_form_display() if d.interpretation_form else ""})
    return out


def _listing(qs):
    return qs.select_related("org", "column", "live_edition").only(
        *LIST_FIELDS, "org__name", "org__short_name", "org__slug", "column__name", "column__slug")


def home(request):
    all_regions = regions()
    search_url = url_or_empty("search:search")
    latest = []
    for region in all_regions:
        if region.root is None or not region.orgs:
            continue
        docs = _listing(Document.objects.public().filter(org_id__in=region.org_ids)).order_by(
            "-first_published_at", "-id")[:HOME_PER_REGION]
        latest.append((region, _rows(docs)))
    city = next((r.root for r in all_regions if r.root is not None and r.root.kind == "city"), None)
    city_columns = set(Column.objects.filter(org=city).values_list("slug", flat=True)) if city else set()
    focus = []
    for slug, name in FOCUS_AREAS:
        if search_url:
            focus.append((name, f"{search_url}?{urlencode({'q': str(name)})}"))
        elif slug in city_columns:
            focus.append((name, reverse("portal:column", args=[city.slug, slug])))
    ctx = {"latest": latest, "focus": focus, "search_url": search_url,
           **page_meta(request, title=_("政府信息公开"), description=_("依据《中华人民共和国政府信息公开条例》公开政府信息。"),
                       feeds=feed_links(None, title=_("最新公开信息")))}
    return public_cache(render(request, "portal/home.html", ctx))


def org_directory(request):
    q = (request.GET.get("q") or "").strip()[:50]
    all_regions = regions()
    total = sum(len(r.orgs) for r in all_regions)
    shown = []
    for region in all_regions:
        groups = []
        for key, label, members in region.groups():
            if q:
                members = [o for o in members if q in o.name or q in o.short_name]
            if members:
                groups.append((key, label, members))
        if groups:
            shown.append((region, groups))
    ctx = {"regions": shown, "q": q, "total": total, "matched": sum(len(m) for _r, g in shown for _k, _l, m in g),
           **page_meta(request, title=_("机构目录"), description=_("本平台全部入驻机构的政府信息公开目录。"))}
    return public_cache(render(request, "portal/orgs.html", ctx))


def org_catalog(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    public = Q(documents__live_edition__isnull=False, documents__withdrawn_at__isnull=True,
               documents__removed_at__isnull=True)
    columns = list(Column.objects.filter(org=org).annotate(n=Count("documents", filter=public)).order_by("position", "id"))
    children: dict[int, list] = {}
    for c in columns:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append((c, c.n))
    tree = []
    for c in columns:
        if c.parent_id is None:
            kids = children.get(c.id, [])
            tree.append((c, c.n + sum(n for _c, n in kids), kids))  # a parent counts its subtree
    ctx = {"org": org, "tree": tree, "total": sum(n for _c, n, _k in tree),
           "reports_url": url_or_empty("reports_public:org", org.slug),
           **page_meta(request, title=_("%(org)s政府信息公开目录") % {"org": org.name},
                       description=org.name, feeds=feed_links(org.slug, title=org.name))}
    return public_cache(render(request, "portal/org.html", ctx))


def column_list(request, org_slug, column_slug):
    # One light query for what the list depends on (publish, new edition, withdraw, remove);
    # the page is rendered only when that changed (see pages.cached_render).
    state = column_state(org_slug, column_slug)
    if state is None:
        raise Http404
    page_no = request.GET.get("page")

    def render_page():
        column = Column.objects.select_related("org", "parent").get(pk=state[0])
        return _render_column(request, column, page_no)

    return public_cache(cached_render(request, ("column", *state), render_page))


def _render_column(request, column, page_no):
    org = column.org
    docs = (Document.objects.public().filter(column=column).select_related("live_edition").only(*LIST_FIELDS)
            .order_by("-first_published_at", "-id"))
    page = Paginator(docs, COLUMN_PAGE_SIZE).get_page(page_no)
    title = f"{column.name} - {org.name}"
    ctx = {"org": org, "column": column, "page": page, "rows": _rows(page.object_list, org, column),
           "subs": list(column.children.all()),
           **page_meta(request, title=title, description=_("%(org)s政府信息公开目录：%(column)s")
                       % {"org": org.name, "column": column.name},
                       feeds=feed_links(org.slug, column.slug, title=title))}
    return render(request, "portal/column.html", ctx)


def document_page(request, org_slug, column_slug, key):
    try:
        year, serial = (int(x) for x in key.split("-"))
    except ValueError:
        raise Http404 from None
    # One light query first: the state the page shows (this document, its policy, its interpretations).
    # Removed documents are gone; withdrawn ones keep their page and 索引号 with the explanation.
    row = document_state(org_slug, column_slug, year, serial)
    if row is None:
        raise Http404
    print_view = request.GET.get("print") == "1"
    state = (*row, print_view)
    not_modified = get_conditional_response(request, etag=etag_for(request, state))
    if not_modified is not None:
        return public_cache(not_modified)

    def render_page():
        related = ("org", "column__parent", "live_edition", "interpretation_of__live_edition",
                   "interpretation_of__org", "interpretation_of__column")
        doc = Document.objects.select_related(*related).get(pk=row[0])
        return _render_document(request, doc, print_view)

    response = cached_render(request, ("document", *state), render_page)
    return public_cache(response, request, etag_parts=state)


def _render_document(request, doc, print_view):
    org, edition = doc.org, doc.live_edition
    withdrawn = doc.withdrawn_at is not None
    interpretations = [] if withdrawn else _rows(_listing(Document.objects.public().filter(interpretation_of=doc)))
    policy = doc.interpretation_of if doc.interpretation_of and doc.interpretation_of.is_public else None
    attachments = [] if withdrawn else list(edition.attachments.defer("text").order_by("id"))
    ctx = {
        "org": org, "doc": doc, "edition": edition, "withdrawn": withdrawn, "attachments": attachments,
        "interpretations": interpretations, "print": print_view,
        "policy_url": doc_path(policy.org.slug, policy.column.slug, policy.index_year, policy.index_serial)
        if policy else "",
        "policy": policy, "major_update": edition.change_kind == "major" and edition.number > 1,
        "apply_url": url_or_empty("apply:apply") + f"?org={org.slug}",
        **page_meta(request, title=edition.title, og_type="article",
                    description=doc.withdrawal_explanation if withdrawn else edition.body_text[:400],
                    feeds=feed_links(org.slug, doc.column.slug, title=f"{doc.column.name} - {org.name}")),
    }
    return render(request, "portal/document.html", ctx)


def attachment(request, att_id, filename=None):
    att = get_object_or_404(Attachment.objects.select_related("edition__document__org"), public_id=att_id)
    doc = att.edition.document
    public = doc.is_public and doc.live_edition_id == att.edition_id
    if not public and not reads_org(request.user, doc.org):
        raise Http404  # same answer as a wrong id: nothing about unpublished files leaks
    path = stored_path(att)
    if not path.exists():
        raise Http404
    resp = FileResponse(path.open("rb"), content_type=att.content_type)
    disposition = "inline" if att.content_type in INLINE_TYPES else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(att.original_name)}"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not public:
        resp["Cache-Control"] = "private, no-store"
    return resp

