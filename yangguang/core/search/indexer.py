"""What a public document contributes: its live edition's title; meta = 发文字号 + 主题词 + org
name; body = 正文 + the head of each attachment's text; each segmented by segment.index_text."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db.models.functions import Substr
from django.utils import timezone

from .segment import MAX_INDEXED_CHARS, index_text
from .tantivy_index import Prepared

FIELDS = ("pk", "org_id", "live_edition_id", "live_edition__title", "live_edition__body_text",
          "live_edition__doc_number", "live_edition__keywords", "live_edition__topic", "live_edition__genre",
          "live_edition__validity", "live_edition__published_date", "first_published_at")


IndexItem = namedtuple("IndexItem", "document_id org_id org_name topic genre validity published_date title "
                                    "body_text doc_number keywords attachment_text", defaults=("", "", ""))


def prepare(item: IndexItem) -> Prepared:
    """Segmentation happens here (the costly part of indexing)."""
    body = item.body_text + ("\n" + item.attachment_text if item.attachment_text else "")
    meta = " ".join(x for x in (item.doc_number, item.keywords, item.org_name) if x)
    return Prepared(item.document_id, item.org_id, item.topic, item.genre, item.validity or "", item.published_date,
                    index_text(item.title), index_text(meta), index_text(body))


def prepare_all(items: Iterable[IndexItem]) -> list[Prepared]:
    return [prepare(item) for item in items]


def _attachments(edition_ids: list[int]) -> dict[int, str]:
    Attachment = apps.get_model("publishing", "Attachment")
    texts: dict[int, list[str]] = {}
    for ed, head in (Attachment.objects.filter(edition_id__in=edition_ids).exclude(text="")
                     .annotate(head=Substr("text", 1, MAX_INDEXED_CHARS)).values_list("edition_id", "head")):
        texts.setdefault(ed, []).append(head)
    return {ed: "\n".join(t) for ed, t in texts.items()}


def _items(rows: list[tuple], org_names: dict[int, str]) -> list[IndexItem]:
    texts = _attachments([r[2] for r in rows])
    return [IndexItem(
        document_id=pk, org_id=org, org_name=org_names.get(org, ""), topic=topic, genre=genre,
        validity=validity or "", published_date=pub or timezone.localdate(first), title=title,
        body_text=body or "", doc_number=number or "", keywords=keywords or "", attachment_text=texts.get(ed, ""),
    ) for pk, org, ed, title, body, number, keywords, topic, genre, validity, pub, first in rows]


def _org_names(ids=None) -> dict[int, str]:
    orgs = apps.get_model("orgs", "Organization").objects
    return dict((orgs.filter(pk__in=set(ids)) if ids is not None else orgs).values_list("pk", "name"))


def public_items(ids: Iterable[int]) -> list[IndexItem]:
    """The items of those of `ids` that are public now (the others must leave the index)."""
    from yangguang.core.registry import search_source

    rows = list(search_source().public_documents().filter(pk__in=list(ids)).values_list(*FIELDS))
    return _items(rows, _org_names(r[1] for r in rows))


def batches(batch_size: int) -> Iterator[list[IndexItem]]:
    """Every public document, `batch_size` at a time in id order (keyset paging)."""
    from yangguang.core.registry import search_source

    names = _org_names()
    last = 0
    while True:
        rows = list(search_source().public_documents().filter(pk__gt=last).order_by("pk")
                    .values_list(*FIELDS)[:batch_size])
        if not rows:
            return
        yield _items(rows, names)
        last = rows[-1][0]


def item_for(document) -> IndexItem:
    """The index item of a public document (its live edition), as the outbox would read it."""
    return public_items([document.pk])[0]
