"""撤回申请: withdrawing a published document is requested by its org's staff and approved by a
leader (主要领导 or 分管领导) of the same org. A leader's direct withdrawal is a request approved
in the same step (`direct`). The states are one table, enforced by `next_state()`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class WithdrawalState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已驳回")


class WithdrawalAction(models.TextChoices):
    APPROVE = "approve", _("批准撤回")
    REFUSE = "refuse", _("驳回撤回申请")


WITHDRAWAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (WithdrawalState.PENDING, WithdrawalAction.APPROVE): WithdrawalState.APPROVED,
    (WithdrawalState.PENDING, WithdrawalAction.REFUSE): WithdrawalState.REFUSED,
}


def next_state(state: str, action: str) -> str:
    return step(WITHDRAWAL_TRANSITIONS, state, action, states=WithdrawalState, actions=WithdrawalAction,
                noun=str(_("撤回申请")))


class WithdrawalRequest(models.Model):
    State = WithdrawalState

    document = models.ForeignKey(
        "publishing.Document", verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="withdrawal_requests"
    )
    state = models.CharField(_("状态"), max_length=10, choices=WithdrawalState.choices, default=WithdrawalState.PENDING)
    explanation = models.TextField(_("撤回说明"), help_text=_("批准后向公众公开，显示在文件页面上。"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)
    direct = models.BooleanField(_("领导直接撤回"), default=False,
                                 help_text=_("主要领导或分管领导直接撤回：申请与批准在同一步完成。"))

    class Meta:
        verbose_name = _("撤回申请")
        verbose_name_plural = _("撤回申请")
        ordering = ["document", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=Q(state="pending"),
                                    name="withdrawal_one_pending_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_state_display()}"
