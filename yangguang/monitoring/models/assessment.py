from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentPeriod(models.Model):
    """考评期 (a quarter or a year) of a region."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年度")

    region = models.ForeignKey("orgs.Organization", verbose_name=_("考评范围"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    self_assessment_open = models.BooleanField(_("接受自评"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考评期")
        verbose_name_plural = _("考评期")
        ordering = ["-start", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "start", "end"], name="assessment_period_unique")]

    def __str__(self) -> str:
        return self.name


class SelfAssessment(models.Model):
    """An org's own 自评 of one indicator in a period, shown beside the measured result."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("考评期"), on_delete=models.CASCADE,
                               related_name="self_assessments")
    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("monitoring.Indicator", verbose_name=_("指标"), on_delete=models.CASCADE,
                                  related_name="+")
    passed = models.BooleanField(_("自评合格"))
    points = models.DecimalField(_("自评得分变动"), max_digits=6, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        constraints = [models.UniqueConstraint(fields=["period", "org", "indicator"], name="self_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.org_id} {self.indicator_id}"
