from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringRun(models.Model):
    """One measurement of (some) indicators over (some) orgs; results kept per run for history."""

    class Trigger(models.TextChoices):
        DAILY = "daily", _("每日定时")
        MANUAL = "manual", _("手动")
        COMMAND = "command", _("命令行")
        REMEASURE = "remeasure", _("整改复测")

    as_of = models.DateField(_("测量日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    trigger = models.CharField(_("触发方式"), max_length=10, choices=Trigger.choices)
    scope_org = models.ForeignKey("orgs.Organization", verbose_name=_("范围"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", help_text=_("留空为全部机构。"))
    only_org = models.BooleanField(_("仅该机构"), default=False, help_text=_("否则含其全部下级机构。"))
    indicator = models.ForeignKey("monitoring.Indicator", verbose_name=_("仅测指标"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    orgs = models.PositiveIntegerField(_("机构数"), default=0)
    failed = models.PositiveIntegerField(_("不合格项数"), default=0)
    stats = models.JSONField(_("统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("监测运行")
        verbose_name_plural = _("监测运行")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["trigger", "as_of"])]

    def __str__(self) -> str:
        return f"{self.as_of} {self.get_trigger_display()} #{self.pk}"

    @property
    def complete(self) -> bool:
        return self.finished_at is not None


class IndicatorResult(models.Model):
    run = models.ForeignKey(MonitoringRun, verbose_name=_("监测运行"), on_delete=models.CASCADE, related_name="results")
    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("monitoring.Indicator", verbose_name=_("指标"), on_delete=models.CASCADE,
                                  related_name="results")
    value = models.FloatField(_("测得值"), null=True, blank=True)
    passed = models.BooleanField(_("合格"))
    points = models.DecimalField(_("得分变动"), max_digits=6, decimal_places=2, default=0,
                                 help_text=_("扣分为负数，加分为正数。"))
    details = models.JSONField(_("明细"), default=dict, blank=True,
                               help_text=_("不合格的栏目、文件、申请编号等，供逐项查看。"))

    class Meta:
        verbose_name = _("指标结果")
        verbose_name_plural = _("指标结果")
        ordering = ["run", "org", "indicator__position"]
        indexes = [models.Index(fields=["org", "indicator", "id"], name="indicator_result_latest")]
        constraints = [models.UniqueConstraint(fields=["run", "org", "indicator"], name="indicator_result_unique")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.indicator_id} {'✓' if self.passed else '✗'}"


class ScanState(models.Model):
    """The last re-scan of a public document: which edition, under which rule set, what it found.

    A document is scanned again only when its live edition or the rule set (hash of the screening
    rules and word list) changed since — so the daily 安全、泄密 check does not re-read 1M texts."""

    document = models.OneToOneField("publishing.Document", verbose_name=_("政府信息"), primary_key=True,
                                    on_delete=models.CASCADE, related_name="+")
    org_id = models.IntegerField(_("机构"), db_index=True)
    edition_id = models.IntegerField(_("版本"))
    ruleset = models.CharField(_("规则集哈希"), max_length=64)
    blocking = models.PositiveIntegerField(_("阻断性发现数"), default=0)
    kinds = models.JSONField(_("发现类别"), default=list, blank=True)
    scanned_at = models.DateTimeField(_("扫描时间"))

    class Meta:
        verbose_name = _("复扫记录")
        verbose_name_plural = _("复扫记录")
        indexes = [models.Index(fields=["org_id", "blocking"])]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.blocking}"
