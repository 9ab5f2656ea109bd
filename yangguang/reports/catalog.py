"""The annual report in the public catalog (公开目录 › 公开年报 column): one record, not two.

Publishing a report version (and publishing a correction) generates the catalog document from that
frozen version — the same narrative and the same tables, through the same `exports.ReportContent`
the report page, Word, PDF and Excel use — in the org's 公开年报 column, inside the same transaction.
One document per report: a correction becomes that document's next edition, so the catalog keeps
the version history the report keeps. Nothing is typed twice, so the column cannot say 14
applications while the report says 0 (issue #14: the demo wrote a separate, hand-made report text).

The document goes live through the publishing app's public service for system-generated documents
(`publishing.services.publication.publish_generated`: 索引号, search index, column listing, the
`edition.publish` audit event of the publication register, marked with the report version it was
generated from); the report's leader sign-off (`orgs.permissions.can_sign_off_report`) is its approval.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.publishing.models import Column, Document
from yangguang.publishing.services.common import sanitize_body
from yangguang.publishing.services.publication import publish_generated
from yangguang.publishing.taxonomy import Genre, Topic

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
    content = exports.from_version(version)
    fields = {
        "title": content.title, "genre": Genre.OTHER, "topic": Topic.GENERAL, "body": body_of(version),
        "written_date": timezone.localtime(version.finalized_at).date(),
        "info_date": timezone.localtime(version.published_at).date(),
        "change_note": _("更正：%(reason)s") % {"reason": version.correction_reason} if version.correction_reason else "",
    }
    edition = publish_generated(column, by, fields, source=f"reports.reportversion:{version.pk}",
                                document=report.document, at=version.published_at)
    doc = edition.document
    if report.document_id != doc.pk:
        report.document = doc
        report.save(update_fields=["document"])
    return doc


def foreign_documents(org):
    """Public documents in `org`'s 公开年报 column that no report generated (typed in by hand, or
    imported): they may say something other than the report module; the editor lists them."""
    return (Document.objects.public().filter(org=org, column__slug=COLUMN_SLUG, annual_report__isnull=True)
            .select_related("live_edition", "column").order_by("-first_published_at"))
