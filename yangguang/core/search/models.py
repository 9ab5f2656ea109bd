"""The search index table (app `core`).

One row per public document: the filter and facet columns, shared by both backends, plus the
backend's text index. SQLite keeps the segmented text in `title_seg`/`meta_seg`/`body_seg`, the
external content of the FTS5 table `core_search_fts` (kept in step by triggers, so a plain
DELETE, also Django's flush, updates it); PostgreSQL leaves them empty and keeps a weighted
`tsvector` in `vector` with a GIN index, and its title + meta part in `title_vector`. Both are created by migration 0005 for the database in
use. Rows are written only by `indexer.py`, never through the ORM.

Note for later migrations: SQLite rebuilds a table on most ALTERs, which drops triggers; a
migration that alters this table must run `backends.sqlite_ddl()` again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.Field):
    """`tsvector` on PostgreSQL; an unused nullable column elsewhere."""

    description = "PostgreSQL tsvector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchEntry(models.Model):
    # Plain integers, not foreign keys: core depends on no feature app.
    document_id = models.BigIntegerField(_("政府信息"), primary_key=True)
    org_id = models.BigIntegerField(_("发布机构"), db_index=True)
    topic = models.CharField(_("主题分类"), max_length=2)
    genre = models.CharField(_("体裁"), max_length=16)
    validity = models.CharField(_("有效性"), max_length=10)
    year = models.PositiveSmallIntegerField(_("发布年份"), db_index=True)
    published_date = models.DateField(_("发布日期"))
    title_seg = models.TextField(_("标题分词"), blank=True, default="")
    meta_seg = models.TextField(_("文号、主题词与机构分词"), blank=True, default="")
    body_seg = models.TextField(_("正文与附件分词"), blank=True, default="")
    vector = TsVectorField(_("检索向量"), null=True, blank=True)
    # PostgreSQL: the title + meta part of `vector` (weights A, B), small enough to stay in the
    # row. Ranking reads it for every match to pick the candidates; only those few then have
    # their full `vector` (kept out of line, costly to read) ranked. See engine.py.
    title_vector = TsVectorField(_("标题检索向量"), null=True, blank=True)

    class Meta:
        app_label = "core"
        # Newest first, without reading the matched set: date-sorted and broad queries walk it.
        indexes = [models.Index(fields=["published_date", "document_id"], name="core_search_newest")]
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")

    def __str__(self) -> str:
        return str(self.document_id)


class SearchGeneration(models.Model):
    """One row (id 1): a counter bumped by every write to the index, in the same transaction.
    Search results are cached under it (engine.py), so a cached count can never outlive the
    publication, withdrawal or removal that changed it — the way a search server drops its
    caches when it commits."""

    generation = models.PositiveBigIntegerField(_("索引版本"), default=0)

    class Meta:
        app_label = "core"
        verbose_name = _("检索索引版本")
        verbose_name_plural = _("检索索引版本")

    def __str__(self) -> str:
        return str(self.generation)
