"""Annual reports (年报): the staff-entered figures, the draft narrative, and frozen versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnteredFigures(models.Model):
    """第二十条第（五）（六）（八）项 figures of one org and year, entered by staff until the service
    and case modules compute them (spec/annual-report.md, table 二 "Source of each figure")."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.PROTECT,
                            related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    licensing = models.PositiveIntegerField(_("行政许可本年处理决定数量"), default=0)
    penalty = models.PositiveIntegerField(_("行政处罚本年处理决定数量"), default=0)
    enforcement = models.PositiveIntegerField(_("行政强制本年处理决定数量"), default=0)
    fees = models.DecimalField(_("行政事业性收费本年收费金额（万元）"), max_digits=14, decimal_places=4, default=0)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("年报录入数据")
        verbose_name_plural = _("年报录入数据")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="entered_figures_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}"


class AnnualReport(models.Model):
    """The working draft of one org's report for one year: the narrative sections staff write.
    The tables are never stored here: they are computed, and frozen only in a `ReportVersion`."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.PROTECT,
                            related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other = models.TextField(_("六、其他需要报告的事项"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最后修改时间"), null=True, blank=True)
    document = models.OneToOneField(
        "publishing.Document", verbose_name=_("公开目录中的年报文件"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="annual_report",
        help_text=_("发布时由本报告生成于“公开年报”栏目；每次发布更正版本即生成该文件的新版本。"))

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "org"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annual_report_unique")]

    def __str__(self) -> str:
        return f"{self.org}{self.year}年度报告"


class ReportVersion(models.Model):
    """A finalized, immutable version: narrative and computed tables as they were at finalization.
    A correction is a new version (with its reason); earlier versions stay viewable."""

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.PROTECT,
                               related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    org_name = models.CharField(_("机构名称"), max_length=100)
    scope = models.JSONField(_("汇总范围"), default=list, help_text=_("计入本报告的机构名称。"))
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other = models.TextField(_("六、其他需要报告的事项"), blank=True)
    tables = models.JSONField(_("表格数据"), help_text=_("定稿时计算的表二、表三、表四（JSON），此后不再改变。"))
    correction_reason = models.TextField(_("更正说明"), blank=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("定稿人"), on_delete=models.PROTECT,
                                     related_name="+")
    finalized_at = models.DateTimeField(_("定稿时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report}（第{self.number}版）"
