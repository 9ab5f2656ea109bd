import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file of an edition. The bytes live under PRIVATE_STORAGE_DIR with a random name;
    only the attachment view serves them, after checking the document's state.

    Its text is read (for screening and search) while the upload waits, for at most
    extract_limits.EXTRACT_INLINE_SECONDS; a file that takes longer is 读取审查中 (pending) and the
    task worker reads it under the full limits: then 已读取 (ready) or 未通过 (refused). An edition
    with a pending or refused attachment cannot be submitted or approved."""

    class TextState(models.TextChoices):
        READY = "ready", _("已读取")
        PENDING = "pending", _("读取审查中")
        REFUSED = "refused", _("未通过")

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    edition = models.ForeignKey("publishing.Edition", verbose_name=_("版本"), on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=80)
    content_type = models.CharField(_("类型"), max_length=100)
    type_label = models.CharField(_("类型名称"), max_length=20)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField(_("提取文本"), blank=True)
    text_state = models.CharField(_("读取状态"), max_length=10, choices=TextState.choices, default=TextState.READY)
    refusal = models.TextField(_("未通过原因"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["edition", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_label(self) -> str:
        from yangguang.core.uploads import size_label

        return size_label(self.size)
