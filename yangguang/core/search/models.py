"""The index outbox (app `core`): what the search index still has to learn.

Every publication, withdrawal, removal and edition change writes one row per document in its own
transaction (changes.py); the task worker, the single index writer, applies the pending rows in
id order, commits the index and marks each row with the number of the index commit that applied
it (`applied_in`). A rolled-back action leaves no row. Applied rows are deleted after a week.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchChange(models.Model):
    class Op(models.TextChoices):
        INDEX = "index", _("写入索引")
        REMOVE = "remove", _("移出索引")

    # A plain integer, not a foreign key: core depends on no feature app.
    document_id = models.BigIntegerField(_("政府信息"))
    # What the document's state was when the row was written; the worker reads the state anew.
    # Readers exclude documents whose latest unapplied row is a removal (engine.py).
    op = models.CharField(_("操作"), max_length=8, choices=Op.choices)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    # The index commit that applied the row (tantivy_index.Writer.number); null: pending. Not the
    # id order: on PostgreSQL a row with a smaller id may commit after one with a larger id.
    applied_in = models.PositiveBigIntegerField(_("已写入的索引提交"), null=True, blank=True, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = _("检索索引待办")
        verbose_name_plural = _("检索索引待办")

    def __str__(self) -> str:
        return f"{self.op} {self.document_id}"
