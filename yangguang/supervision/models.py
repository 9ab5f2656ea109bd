"""Monthly quotas (月度发布任务) and bulletins (通报) — spec/monitoring.md "Publication statistics and bulletins"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A deployment's choice, not law: spec/monitoring.md says only "quota per org, a setting". The seed
# bulletin (seeds/002, 3月份通报) lists units with 1–8 items as having missed their monthly task, so the
# default sits above that. A supervisor overrides it per org or for a whole subtree (`PublicationQuota`).
DEFAULT_MONTHLY_QUOTA = 10


class PublicationQuota(models.Model):
    """月度发布任务: items an org must publish per month. A row on an org applies to its whole subtree
    unless a deeper org has its own row (the nearest one wins); no row: DEFAULT_MONTHLY_QUOTA."""

    org = models.OneToOneField("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE,
                               related_name="publication_quota")
    monthly = models.PositiveIntegerField(_("每月应发布条数"), help_text=_("0 表示不考核发布数量。"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度发布任务")
        verbose_name_plural = _("月度发布任务")

    def __str__(self) -> str:
        return f"{self.org} {self.monthly}"


class Bulletin(models.Model):
    """A monthly bulletin (通报) of one region: facts computed while a draft, stored when issued."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已签发")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公开发布")
        INTERNAL = "internal", _("内部印发")

    region = models.ForeignKey("orgs.Organization", verbose_name=_("通报范围（机构）"), on_delete=models.PROTECT,
                               related_name="bulletins")
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.DRAFT, db_index=True)
    visibility = models.CharField(_("发布方式"), max_length=8, choices=Visibility.choices, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    narrative = models.TextField(_("通报正文（文字部分）"), blank=True,
                                 help_text=_("工作人员撰写的文字；统计数字由系统计算，不在此填写。"))
    facts = models.JSONField(_("签发时的统计数据"), null=True, blank=True, editable=False,
                             help_text=_("草稿时为空（每次查看时实时计算）；签发时写入，此后不再改变。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-year", "-month", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "month"], name="bulletin_unique_month")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def is_public(self) -> bool:
        return self.is_issued and self.visibility == self.Visibility.PUBLIC
