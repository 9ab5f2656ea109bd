"""The version of a column's public list.

The portal caches a rendered column page under (column, `listing_version`); every service that
changes what the list shows calls `bump` inside its own transaction, so the new version becomes
visible together with the change and a stale page is never served under the new version.
Changes the list does not show (a draft, a review step) do not bump it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from .models import Column


def bump(column_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in column_ids if i is not None})  # sorted: a fixed lock order
    if ids:
        Column.objects.filter(pk__in=ids).update(listing_version=F("listing_version") + 1)
