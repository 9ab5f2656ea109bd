"""The audit log: append-only, each row hash-chained to the one before it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change. Never updated or deleted; `hash` covers every other column
    and the previous row's hash, so any later edit breaks the chain at that row."""

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    # An integer, not a foreign key: core must not depend on the orgs app.
    org_id = models.BigIntegerField(_("机构"), null=True, blank=True, db_index=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)
    # HMAC-SHA256 of `hash` with settings.AUDIT_KEY (outside the database): whoever rewrites rows
    # and recomputes the hash chain cannot recompute these.
    mac = models.CharField(_("签名"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditHead(models.Model):
    """A single row locked by every writer, so that appends to the chain are serialised
    across processes and databases (SELECT … FOR UPDATE on PostgreSQL, the write lock on SQLite)."""

    last_hash = models.CharField(_("链尾哈希"), max_length=64, default="0" * 64)
    last_id = models.BigIntegerField(_("链尾记录编号"), default=0)
    # HMAC of (last_id, last_hash) with settings.AUDIT_KEY: deleting the newest rows and moving the
    # head back is detected too (unless an earlier signed head was copied: see core/audit.py).
    mac = models.CharField(_("链头签名"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return self.last_hash
from .models_calendar import CalendarDay, CalendarYear  # noqa: E402,F401
from .models_imports import ImportRun  # noqa: E402,F401
from .models_notify import Notification  # noqa: E402,F401
from .models_outbox import OutboundMessage  # noqa: E402,F401
from .search.models import SearchChange  # noqa: E402,F401
