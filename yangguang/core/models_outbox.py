"""The outbox (发送队列): every e-mail or SMS the platform sends to a member of the public.

A business action never sends anything itself. Whatever reacts to it (an audit hook, see
core/audit.py ``on_record``) writes an OutboundMessage row in the action's own transaction, so
the message exists exactly when the action committed; after the commit a task of the worker
sends it (core/outbox.py). A failed attempt is retried with a growing delay; after
``settings.OUTBOX_MAX_ATTEMPTS`` attempts the message is given up and stays visible to staff.

The states are one table (``TRANSITIONS``), enforced by core/outbox.py:

    queued ──claim──▶ sending ──deliver──▶ sent
    failed ──claim──▶ sending ──fail─────▶ failed   (next attempt after a backoff)
                      sending ──give_up──▶ given_up (the last allowed attempt failed)
    given_up ──requeue──▶ queued                    (a system administrator, audited)

``sending`` is a lease: a worker that died while sending leaves the row there, and after
``LEASE_SECONDS`` the next run counts that attempt as failed (the message may then arrive twice:
at-least-once, never silently lost). Core knows nothing of the objects a message is about:
``object_type`` / ``object_id`` are plain strings, like the audit log's. The recipient is stored
in full (it is where the message goes) and shown only masked (``recipient_masked``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .screening import mask_phone

LEASE_SECONDS = 600  # a claimed message not finished after this is counted as a failed attempt


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class State(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，等待重试")
        GIVEN_UP = "given_up", _("多次失败，已停止重试")

    class Action(models.TextChoices):
        CLAIM = "claim", _("开始发送")
        DELIVER = "deliver", _("发送成功")
        FAIL = "fail", _("发送失败")
        GIVE_UP = "give_up", _("停止重试")
        REQUEUE = "requeue", _("重新发送")

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=254,
                                 help_text=_("电子邮箱或手机号码；页面上只显示遮盖后的形式。"))
    kind = models.CharField(_("消息类型"), max_length=64, db_index=True,
                            help_text=_("产生消息的环节，如 disclosure.received。"))
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    event = models.ForeignKey("core.AuditEvent", verbose_name=_("引起消息的审计事件"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now,
                                           help_text=_("待发送与等待重试的消息在此时间之后发送。"))
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送成功时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("对外消息")
        verbose_name_plural = _("对外消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["object_type", "object_id"], name="outbox_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient_masked}: {self.subject or self.kind}"

    @property
    def recipient_masked(self) -> str:
        return mask_recipient(self.channel, self.recipient)


S, A = OutboundMessage.State, OutboundMessage.Action

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.QUEUED, A.CLAIM): S.SENDING,
    (S.FAILED, A.CLAIM): S.SENDING,
    (S.SENDING, A.DELIVER): S.SENT,
    (S.SENDING, A.FAIL): S.FAILED,
    (S.SENDING, A.GIVE_UP): S.GIVEN_UP,
    (S.GIVEN_UP, A.REQUEUE): S.QUEUED,
}
CLAIMABLE = tuple(state for (state, action) in TRANSITIONS if action == A.CLAIM)


def mask_recipient(channel: str, recipient: str) -> str:
    """zhangsan@example.com → z***@example.com; 13812345678 → 138****5678."""
    if channel == OutboundMessage.Channel.EMAIL or "@" in recipient:
        local, _at, domain = recipient.rpartition("@")
        return f"{local[:1]}***@{domain}" if local else "***"
    return mask_phone(recipient)
