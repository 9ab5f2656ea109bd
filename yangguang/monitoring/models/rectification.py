from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..rectify_table import State


class Rectification(models.Model):
    """整改: opened by a failed indicator; closed (销号) only by a passing re-measurement."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE,
                            related_name="rectifications")
    indicator = models.ForeignKey("monitoring.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT,
                                  related_name="rectifications")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("发起时间"))
    opened_by_result = models.ForeignKey("monitoring.IndicatorResult", verbose_name=_("发起依据"),
                                         on_delete=models.SET_NULL, null=True, related_name="+")
    deadline = models.DateField(_("整改期限"))
    answer = models.TextField(_("整改情况说明"), blank=True)
    claimed_fixed = models.BooleanField(_("声称已整改"), default=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    false_claims = models.PositiveSmallIntegerField(_("虚报次数"), default=0)
    last_measured_at = models.DateTimeField(_("最近复测时间"), null=True, blank=True)
    last_result = models.ForeignKey("monitoring.IndicatorResult", verbose_name=_("最近复测结果"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by_result = models.ForeignKey("monitoring.IndicatorResult", verbose_name=_("销号依据"),
                                         on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One item per org and indicator until it is closed: a daily run re-finding the failure
            # must not open a second one.
            models.UniqueConstraint(fields=["org", "indicator"], condition=~Q(state="closed"),
                                    name="rectification_one_open"),
            # 销号 needs the passing measurement that justified it.
            models.CheckConstraint(condition=Q(state="closed", closed_by_result__isnull=False) | ~Q(state="closed"),
                                   name="rectification_closed_has_result"),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.indicator}"
