"""The plain public side: org directory, catalog, column lists, document pages, attachments.
Only `Document.objects.public()` is ever shown here."""

from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from yangguang.orgs.models import Organization
from yangguang.orgs.scoping import can_read_org
from yangguang.publishing.models import Attachment, Column, Document
from yangguang.publishing.services.content import stored_path

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


KIND_ORDER = {"city": 0, "county": 1, "district": 1, "department": 2, "township": 3, "street": 3}


def tree_order(orgs) -> list[Organization]:
    """Depth-first, siblings by kind (governments before departments before townships) then name."""
    orgs = list(orgs)
    children: dict[int | None, list[Organization]] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)
    out: list[Organization] = []

    def walk(parent_id):
        for o in sorted(children.get(parent_id, []), key=lambda o: (KIND_ORDER.get(o.kind, 9), o.name)):
            out.append(o)
            walk(o.id)

    ids = {o.id for o in orgs}
    for root_parent in {o.parent_id for o in orgs if o.parent_id not in ids}:
        walk(root_parent)
    return out


def home(request):
    orgs = tree_order(Organization.objects.all())
    latest = (
        Document.objects.public().select_related("org", "column", "live_edition").order_by("-first_published_at")[:20]
    )
    return render(request, "portal/home.html", {"orgs": orgs, "latest": latest})


def org_catalog(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    counts = dict(
        Column.objects.filter(org=org)
        .annotate(n=Count("documents", filter=Q(
            documents__live_edition__isnull=False, documents__withdrawn_at__isnull=True,
            documents__removed_at__isnull=True)))
        .values_list("id", "n")
    )
    columns = list(Column.objects.filter(org=org).order_by("position", "id"))
    roots = [c for c in columns if c.parent_id is None]
    children = {}
    for c in columns:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    tree = []
    for c in roots:
        kids = [(ch, counts.get(ch.id, 0)) for ch in children.get(c.id, [])]
        tree.append((c, counts.get(c.id, 0) + sum(n for _, n in kids), kids))  # a parent counts its subtree
    return render(request, "portal/org.html", {"org": org, "tree": tree})


def column_list(request, org_slug, column_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    column = get_object_or_404(Column, org=org, slug=column_slug)
    docs = (
        Document.objects.public().filter(column=column).select_related("live_edition")
        .order_by("-live_edition__published_date", "-first_published_at", "-id")
    )
    page = Paginator(docs, 20).get_page(request.GET.get("page"))
    return render(request, "portal/column.html", {"org": org, "column": column, "page": page})


def document_page(request, org_slug, column_slug, key):
    org = get_object_or_404(Organization, slug=org_slug)
    try:
        year, serial = key.split("-")
        year, serial = int(year), int(serial)
    except ValueError:
        raise Http404 from None
    doc = get_object_or_404(
        Document.objects.select_related("org", "column", "live_edition", "interpretation_of__live_edition"),
        org=org, index_year=year, index_serial=serial, column__slug=column_slug,
        live_edition__isnull=False, removed_at__isnull=True,
    )
    # Withdrawn documents keep their page (and 索引号) and show the explanation instead.
    edition = doc.live_edition
    interpretations = Document.objects.public().filter(interpretation_of=doc).select_related("live_edition", "column", "org")
    policy = doc.interpretation_of if doc.interpretation_of and doc.interpretation_of.is_public else None
    major_update = (
        edition.change_kind == "major" and edition.number > 1
    )
    return render(request, "portal/document.html", {
        "org": org, "doc": doc, "edition": edition, "withdrawn": doc.withdrawn_at is not None,
        "attachments": [] if doc.withdrawn_at else edition.attachments.all(),
        "interpretations": interpretations, "policy": policy, "major_update": major_update,
        "print": request.GET.get("print") == "1",
    })


def attachment(request, att_id, filename=None):
    att = get_object_or_404(Attachment.objects.select_related("edition__document__org"), public_id=att_id)
    doc = att.edition.document
    public = doc.is_public and doc.live_edition_id == att.edition_id
    if not public and not can_read_org(request.user, doc.org):
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
