from django.db import models
from django.utils.translation import gettext_lazy as _

from ..indicators import Level


class Indicator(models.Model):
    """检查指标 as data: a deployment adds its own rows and edits points and thresholds in the admin.

    `measure` names a registered measurement function (`monitoring.measures.REGISTRY`) that yields,
    per org, a number `value` (usually: how many offending columns / documents / applications).
    A veto or deduct indicator fails when value ≥ threshold; a bonus indicator is earned then.
    """

    code = models.SlugField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    legal_basis = models.CharField(_("依据"), max_length=200)
    level = models.CharField(_("类别"), max_length=8, choices=Level.choices)
    measure = models.CharField(_("测量方法"), max_length=40, help_text=_("已注册的测量函数名。"))
    threshold = models.FloatField(_("阈值"), default=1, help_text=_("测得值达到该值即不合格（加分项：即得分）。"))
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2, default=0,
                                 help_text=_("扣分项为扣分（正数），加分项为加分；单项否决项不计分。"))
    per_item = models.BooleanField(_("按项计分"), default=False, help_text=_("勾选则每项扣分，合计不超过上限。"))
    cap = models.DecimalField(_("扣分上限"), max_digits=5, decimal_places=2, null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    rectify_working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), default=10)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查指标")
        verbose_name_plural = _("检查指标")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
