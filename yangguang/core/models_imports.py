"""ImportRun: the record of one bulk import (documents, applications, organizations).

A large import on SQLite commits in bounded batches, so that it never holds the database's only
write lock for long; all-or-nothing is then kept by validating the whole file before the first
write and by this record: what was written so far (`rows_done`, `document_ranges`), so that an
interrupted run can be resumed from the next row or rolled back. Core knows nothing of the
objects an import creates: they are plain ids, like the audit log's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("政府信息")
        APPLICATIONS = "applications", _("依申请公开")
        ORGS = "orgs", _("机构")

    class State(models.TextChoices):
        VALIDATING = "validating", _("校验中")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("中断")
        ROLLED_BACK = "rolled_back", _("已撤销")

    kind = models.CharField(_("导入类型"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("文件路径"), max_length=1000, blank=True)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.VALIDATING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已导入行数"), default=0,
                                            help_text=_("已提交的行数：续导从下一行开始。"))
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    serial_bases = models.JSONField(
        _("索引号起点"), default=dict, blank=True,
        help_text=_("每个机构、年份预留的索引号流水号起点（“机构编号:年份”→起点），续导时按同一顺序编号。"),
    )
    document_ranges = models.JSONField(
        _("已导入对象编号区间"), default=list, blank=True, help_text=_("[起, 止] 编号区间的列表，撤销导入时删除。"),
    )
    error = models.TextField(_("中断原因"), blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_state_display()})"

    def add_ids(self, ids) -> None:
        """Record written ids as merged [lo, hi] ranges (bulk inserts give runs of consecutive ids)."""
        ranges = [list(r) for r in self.document_ranges]
        for pk in sorted(ids):
            if ranges and ranges[-1][1] + 1 == pk:
                ranges[-1][1] = pk
            else:
                ranges.append([pk, pk])
        self.document_ranges = ranges

    def ids(self) -> list[int]:
        return [pk for lo, hi in self.document_ranges for pk in range(lo, hi + 1)]
