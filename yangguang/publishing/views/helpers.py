from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404

from yangguang.orgs.permissions import reads_org

from ..models import Document, Edition


def edition_for(request, pk: int) -> Edition:
    edition = get_object_or_404(
        Edition.objects.select_related("document", "document__org", "document__column", "author"), pk=pk
    )
    if not reads_org(request.user, edition.document.org):
        raise Http404  # other orgs' drafts: not even their existence is disclosed
    return edition


def document_for(request, pk: int) -> Document:
    doc = get_object_or_404(Document.objects.select_related("org", "column", "live_edition"), pk=pk)
    if not reads_org(request.user, doc.org):
        raise Http404
    return doc


def report_error(request, exc) -> None:
    messages.error(request, exc.message)
    for detail in exc.details:
        messages.error(request, detail)


def highlight(text: str, findings) -> list[tuple[str, object]]:
    """Split `text` into (segment, finding-or-None) for rendering findings as <mark>."""
    out: list[tuple[str, object]] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos or f.end > len(text):
            continue
        if f.start > pos:
            out.append((text[pos:f.start], None))
        out.append((text[f.start:f.end], f))
        pos = f.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out
