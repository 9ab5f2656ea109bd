import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..taxonomy import Genre, InterpretationForm, Topic, Validity
from ..workflow import State


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """What an anonymous visitor may see: live, not withdrawn, not removed."""
        return self.filter(live_edition__isnull=False, withdrawn_at__isnull=True, removed_at__isnull=True)


class Document(models.Model):
    """The identity of a piece of government information across its editions.

    The metadata lives on `Edition`; `live_edition` is the one the public sees.
    """

    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey("orgs.Organization", verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="documents")
    column = models.ForeignKey("publishing.Column", verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="documents")
    index_number = models.CharField(_("索引号"), max_length=40, unique=True, null=True, blank=True)
    index_year = models.PositiveSmallIntegerField(_("索引号年份"), null=True, blank=True)
    index_serial = models.PositiveIntegerField(_("索引号流水号"), null=True, blank=True)
    live_edition = models.OneToOneField(
        "publishing.Edition", verbose_name=_("现行版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(_("最近发布时间"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_explanation = models.TextField(_("撤回说明"), blank=True)
    removed_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    interpretation_of = models.ForeignKey(
        "self", verbose_name=_("解读的政策文件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    interpretation_form = models.CharField(
        _("解读形式"), max_length=12, choices=InterpretationForm.choices, blank=True
    )
    retro_review_pending = models.BooleanField(_("待事后审核"), default=False, db_index=True)
    # Bumped in the transaction of every change its public page shows (this document, its policy,
    # its interpretations; see publishing.listing), so the cached page is checked by one key lookup.
    page_version = models.PositiveBigIntegerField(_("页面版本"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        indexes = [
            models.Index(fields=["column", "-first_published_at"]),
            models.Index(fields=["org", "-first_published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["org", "index_year", "index_serial"], name="document_unique_serial"),
        ]

    def __str__(self) -> str:
        return self.index_number or gettext("未发布 #%(pk)s") % {"pk": self.pk}

    @property
    def is_public(self) -> bool:
        return self.live_edition_id is not None and self.withdrawn_at is None and self.removed_at is None


class Edition(models.Model):
    """One version of a document's content and metadata, moving through the review workflow."""

    class ChangeKind(models.TextChoices):
        MINOR = "minor", _("小修改")
        MAJOR = "major", _("实质修改")

    document = models.ForeignKey(Document, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField(_("版本号"), default=1)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    level = models.PositiveSmallIntegerField(_("当前审核级次"), default=0)
    chain = models.CharField(
        _("审核流程"), max_length=100, blank=True, help_text=_("送审时机构审核流程的快照，逗号分隔的角色。")
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    topic = models.CharField(_("主题分类"), max_length=2, choices=Topic.choices, default=Topic.GENERAL)
    genre = models.CharField(_("体裁"), max_length=16, choices=Genre.choices, default=Genre.OTHER_DOC)
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_date = models.DateField(_("失效/废止日期"), null=True, blank=True)
    abolished_by = models.CharField(_("废止依据文件"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("经过清洗的HTML。"))
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    info_date = models.DateField(
        _("信息形成或变更日期"), null=True, blank=True,
        help_text=_("条例第26条：自该日起20个工作日内公开。"),
    )
    change_kind = models.CharField(_("修改类型"), max_length=5, choices=ChangeKind.choices, blank=True)
    change_note = models.CharField(_("修改说明"), max_length=300, blank=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True, db_index=True)
    urgent_reason = models.CharField(_("紧急发布理由"), max_length=300, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    content_hash = models.CharField(_("内容哈希"), max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("送审时间"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="edition_unique_number")]
        indexes = [
            # A narrow copy of the columns the monitoring measures read for every live edition of the
            # year (genre, validity, info date, publication time), looked up by id: SQLite then never
            # reads the wide rows (body text; info_date and published_at lie after it).
            models.Index(fields=["id", "genre", "validity", "info_date", "published_at"], name="edition_monitoring_cover"),
        ]

    def __str__(self) -> str:
        return gettext("%(title)s（第%(number)s版）") % {"title": self.title, "number": self.number}

    @property
    def org(self):
        return self.document.org

    def unread_attachments(self):
        """Attachments whose text is not (or could not be) read: screening is incomplete."""
        return self.attachments.exclude(text_state="ready") if self.pk else self.attachments.none()


class IndexCounter(models.Model):
    """The last 索引号 serial handed out per org and year; locked row by row on allocation."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="index_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last_serial}"
