"""Writing the index. Only public documents are ever in it.

`index_document` / `unindex_document` are called by the publishing services inside the
transaction of the change (publication, new edition going live, withdrawal, removal), so the
index can never disagree with what the public site shows. `index_items` takes many documents
at once (the bulk import and `search-reindex`), as plain `IndexItem`s built without queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models.functions import Substr
from django.utils import timezone

from .backends import TABLE, backend
from .segment import MAX_INDEXED_CHARS, index_text


@dataclass(frozen=True)
class IndexItem:
    document_id: int
    org_id: int
    org_name: str
    topic: str
    genre: str
    validity: str
    published_date: date
    title: str
    body_text: str
    doc_number: str = ""
    keywords: str = ""
    attachment_text: str = ""


def item_for(document, org_name: str | None = None, attachment_text: str | None = None) -> IndexItem:
    """The index item of a public document (its live edition)."""
    ed = document.live_edition
    published = ed.published_date or timezone.localdate(document.first_published_at or timezone.now())
    if attachment_text is None:
        # Only the head of each attachment's text: index_text() keeps the first MAX_INDEXED_CHARS
        # of body + attachments anyway, and reading a 36 MB .txt attachment's whole text inside
        # the publication's write transaction only made the transaction longer.
        head = Substr("text", 1, MAX_INDEXED_CHARS)
        attachment_text = "\n".join(t for t in ed.attachments.annotate(head=head).values_list("head", flat=True) if t)
    if org_name is None:
        org_name = document.org.name
    return IndexItem(
        document_id=document.pk, org_id=document.org_id, org_name=org_name, topic=ed.topic, genre=ed.genre,
        validity=ed.validity, published_date=published, title=ed.title, body_text=ed.body_text or "",
        doc_number=ed.doc_number or "", keywords=ed.keywords or "", attachment_text=attachment_text,
    )


def row_for(item: IndexItem) -> tuple:
    """The upsert parameters: segmentation happens here."""
    body = item.body_text + ("\n" + item.attachment_text if item.attachment_text else "")
    meta = " ".join(x for x in (item.doc_number, item.keywords, item.org_name) if x)
    return (item.document_id, item.org_id, item.topic, item.genre, item.validity, item.published_date.year,
            item.published_date, index_text(item.title), index_text(meta), index_text(body))


SQLITE_ROWS_PER_STATEMENT = 200  # 10 parameters each, far below SQLite's 32,766


GENERATION_TABLE = "core_searchgeneration"


def bump_generation(cursor) -> None:
    """Every index write changes the generation in its own transaction (see SearchGeneration)."""
    cursor.execute(f"UPDATE {GENERATION_TABLE} SET generation = generation + 1 WHERE id = 1")


def current_generation() -> int | None:
    """None when the row is missing (a flushed test database): then nothing is cached."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {GENERATION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def write_rows(rows: Sequence[tuple], bump: bool = True) -> None:
    """Upsert index rows. `bump=False`: the caller bumps the generation in the same transaction."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if bump:
            bump_generation(cursor)
        if connection.vendor != "sqlite":
            cursor.executemany(backend().upsert_sql(), rows)
            return
        # SQLite: the FTS5 table is fed by triggers, and FTS5 flushes its pending terms at every
        # statement's savepoint. Row-by-row upserts made each row a flush and got slower as the
        # index grew (3 s → 23 s per 1,000 rows); one DELETE (for rows already there) and
        # multi-row INSERTs keep the terms together: ~0.6 s per 1,000 rows, flat.
        ids = [r[0] for r in rows]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        for i in range(0, len(rows), SQLITE_ROWS_PER_STATEMENT):
            chunk = rows[i:i + SQLITE_ROWS_PER_STATEMENT]
            values = ", ".join(["(" + ", ".join(["%s"] * len(chunk[0])) + ")"] * len(chunk))
            cursor.execute(f"{backend().insert_sql()} VALUES {values}", [x for r in chunk for x in r])


def index_items(items: Iterable[IndexItem]) -> int:
    rows = [row_for(item) for item in items]
    write_rows(rows)
    return len(rows)


def index_document(document) -> None:
    """Put `document` in the index as it is now, or take it out when it is not public."""
    if not document.is_public:
        unindex_document(document)
        return
    index_items([item_for(document)])


def unindex_document(document) -> None:
    unindex_ids([getattr(document, "pk", document)])


def unindex_ids(ids: Iterable[int]) -> int:
    ids = list(ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        bump_generation(cursor)
        cursor.execute(f"DELETE FROM {TABLE} WHERE document_id IN ({', '.join(['%s'] * len(ids))})", ids)
        return cursor.rowcount


def index_imported(documents: Sequence, editions: Sequence) -> int:
    """Index a batch of just bulk-created documents and their (live, first) editions, matched
    by position, without reading them back. Called by the importer inside its transaction."""
    from django.apps import apps

    Organization = apps.get_model("orgs", "Organization")
    names = dict(Organization.objects.filter(pk__in={d.org_id for d in documents}).values_list("pk", "name"))
    return index_items(
        IndexItem(document_id=d.pk, org_id=d.org_id, org_name=names.get(d.org_id, ""), topic=e.topic,
                  genre=e.genre, validity=e.validity, published_date=e.published_date, title=e.title,
                  body_text=e.body_text or "", doc_number=e.doc_number or "", keywords=e.keywords or "")
        for d, e in zip(documents, editions, strict=True)
    )
