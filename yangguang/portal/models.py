from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgGuide(models.Model):
    """公开指南: an organization's own text. Without one, the portal shows a guide generated
    from the organization's data (see `guide.py`)."""

    org = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="guide"
    )
    text = models.TextField(
        _("指南正文"), help_text=_("纯文本，空行分段；以“一、”“（一）”等开头的行显示为小标题。")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return str(self.org)
