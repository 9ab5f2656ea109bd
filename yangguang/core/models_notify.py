"""In-app notifications (站内通知): one row per message to one user.

`dedupe_key` makes a producer idempotent: it names the fact being notified (e.g.
"due:<application id>:overdue:<date>"), and a producer inserts with
`bulk_create(..., ignore_conflicts=True)`, so running it twice creates nothing new.
Core knows nothing of the objects a notification is about: `object_type` / `object_id`
are plain strings, like the audit log's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True,
                                  help_text=_("同一事项只通知一次：重复运行时已存在的通知不再创建。"))
    created_at = models.DateTimeField(_("通知时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"
