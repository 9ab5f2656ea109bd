from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningFinding(models.Model):
    """A screening finding on an edition's title, body or an attachment's extracted text.

    Findings are recomputed whenever the content changes; an acceptance (warnings only)
    is kept across recomputation by `fingerprint` (source + kind + matched text).
    """

    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("阻断")
        WARNING = "warning", _("警告")

    edition = models.ForeignKey("publishing.Edition", verbose_name=_("版本"), on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(_("位置"), max_length=80, help_text=_("title、body，或附件编号。"))
    source_label = models.CharField(_("位置名称"), max_length=255)
    kind = models.CharField(_("类别"), max_length=20)
    label = models.CharField(_("类别名称"), max_length=40)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    text = models.CharField(_("命中文本"), max_length=200)
    fingerprint = models.CharField(_("指纹"), max_length=64, db_index=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_reason = models.CharField(_("确认理由"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审查发现")
        verbose_name_plural = _("审查发现")
        ordering = ["edition", "source", "start"]

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"

    @property
    def is_open(self) -> bool:
        return self.severity == self.Severity.BLOCKING or self.accepted_at is None
