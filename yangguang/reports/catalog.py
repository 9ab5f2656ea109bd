"""The annual report in the public catalog (公开目录 › 公开年报 column): one record, not two.

Publishing a report version (and publishing a correction) generates the catalog document from that
frozen version — the same narrative and the same tables, through the same `exports.ReportContent`
the report page, Word, PDF and Excel use — in the org's 公开年报 column, inside the same transaction.
One document per report: a correction becomes that document's next edition, so the catalog keeps
the version history the report keeps. Nothing is typed twice, so the column cannot say 14
applications while the report says 0 (issue #14: the demo wrote a separate, hand-made report text).

The document goes live through the publishing app's own `_go_live` (索引号, search index, column
listing, the `edition.publish` audit event of the publication register); the report's leader
sign-off (`services.can_sign_off`) is its approval.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from yangguang.publishing.models import Column, Document, Edition
from yangguang.publishing.services.common import content_hash, html_to_text, sanitize_body
from yangguang.publishing.services.publication import _go_live
from yangguang.publishing.taxonomy import Genre, Topic
from yangguang.publishing.workflow import Action, State

from . import exports
from .models import AnnualReport, ReportVersion

COLUMN_SLUG = "gknb"  # 公开年报 (publishing.catalog_template.STANDARD_COLUMNS)


def report_url(report: AnnualReport, version: ReportVersion | None = None) -> str:
    url = reverse("reports_public:detail", args=[report.org.slug, report.year])
    return f"{url}?v={version.number}" if version is not None else url


def body_of(version: ReportVersion) -> str:
    """The catalog document's body: the version as published, sanitised like any edition body."""
    content = exports.from_version(version)
    return sanitize_body(render_to_string("reports/catalog_body.html", {
        "r": content, "url": report_url(version.report, version)}))


def publish_in_catalog(report: AnnualReport, version: ReportVersion, by) -> Document | None:
    """Inside the caller's transaction: put `version` (just published) into the 公开年报 column as
    the report's document (a new document the first time, else its next edition). None when the org
    has no such column (its catalog was built without the standard template)."""
    column = Column.objects.filter(org_id=report.org_id, slug=COLUMN_SLUG).first()
    if column is None:
        return None
    doc = report.document
    if doc is not None and (doc.withdrawn_at or doc.removed_at):
        doc = None  # withdrawn or removed from the catalog: the report is published again as a new document
    if doc is None:
        doc = Document.objects.create(org_id=report.org_id, column=column, created_by=by)
        number = 1
    else:
        number = (doc.editions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    content = exports.from_version(version)
    body = body_of(version)
    edition = Edition(
        document=doc, number=number, state=State.APPROVED, title=content.title[:300], genre=Genre.OTHER,
        topic=Topic.GENERAL, written_date=timezone.localtime(version.finalized_at).date(),
        info_date=timezone.localtime(version.published_at).date(), body=body, body_text=html_to_text(body),
        author=by, change_kind=Edition.ChangeKind.MAJOR if number > 1 else "",
        change_note=(f"更正：{version.correction_reason}" if version.correction_reason else "")[:300],
    )
    edition.save()
    edition.content_hash = content_hash(edition)
    edition.save(update_fields=["content_hash"])
    _go_live(edition, by, Action.PUBLISH, version.published_at)
    doc.refresh_from_db()
    if report.document_id != doc.pk:
        report.document = doc
        report.save(update_fields=["document"])
    return doc


def foreign_documents(org):
    """Public documents in `org`'s 公开年报 column that no report generated (typed in by hand, or
    imported): they may say something other than the report module; the editor lists them."""
    return (Document.objects.public().filter(org=org, column__slug=COLUMN_SLUG, annual_report__isnull=True)
            .select_related("live_edition", "column").order_by("-first_published_at"))
