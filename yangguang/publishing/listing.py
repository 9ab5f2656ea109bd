"""Versions of what the public pages show: a column's list and a document's page.

The portal caches a rendered column page under (column, `listing_version`) and a document page
under (document, `page_version`); every service that changes what such a page shows calls `bump`
/ `bump_documents` inside its own transaction, so the new version becomes visible together with
the change and a stale page is never served under the new version. Changes the public does not
see (a draft, a review step) do not bump them. Names of orgs and columns are not versioned: a
rename shows once the cached page expires (pages.PUBLIC_MAX_AGE).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from .models import Column, Document


def _bump(model, field: str, ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in ids if i is not None})  # sorted: a fixed lock order
    if ids:
        model.objects.filter(pk__in=ids).update(**{field: F(field) + 1})


def bump(column_ids: Iterable[int]) -> None:
    _bump(Column, "listing_version", column_ids)


def bump_documents(document_ids: Iterable[int]) -> None:
    _bump(Document, "page_version", document_ids)


def public_change(document) -> None:
    """A document changed as the public sees it (publication, new edition, withdrawal, removal):
    its column's list, its page, its policy's page (which lists it as an interpretation) and its
    interpretations' pages (which link to it) show that."""
    bump([document.column_id])
    interpretations = Document.objects.filter(interpretation_of_id=document.pk).values_list("pk", flat=True)
    bump_documents([document.pk, document.interpretation_of_id, *interpretations])
