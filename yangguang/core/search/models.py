"""The index outbox (app `core`): one row per document changed, pending until the task worker
applied it (changes.py); applied rows are deleted after a week."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchChange(models.Model):
    class Op(models.TextChoices):
        INDEX = "index", _("写入索引")
        REMOVE = "remove", _("移出索引")

    document_id = models.BigIntegerField(_("政府信息"))
    op = models.CharField(_("操作"), max_length=8, choices=Op.choices)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    # The index commit that applied it (null: pending); not an id watermark, as PostgreSQL may
    # commit a smaller id after a larger one.
    applied_in = models.PositiveBigIntegerField(_("已写入的索引提交"), null=True, blank=True, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = _("检索索引待办")
        verbose_name_plural = _("检索索引待办")

    def __str__(self) -> str:
        return f"{self.op} {self.document_id}"
