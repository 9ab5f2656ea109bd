import uuid

from django.conf import settings
from django.db import models

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

    public_id = models.UUIDField("公开编号", default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey("orgs.Organization", verbose_name="发布机构", on_delete=models.PROTECT, related_name="documents")
    column = models.ForeignKey("publishing.Column", verbose_name="栏目", on_delete=models.PROTECT, related_name="documents")
    index_number = models.CharField("索引号", max_length=40, unique=True, null=True, blank=True)
    index_year = models.PositiveSmallIntegerField("索引号年份", null=True, blank=True)
    index_serial = models.PositiveIntegerField("索引号流水号", null=True, blank=True)
    live_edition = models.OneToOneField(
        "publishing.Edition", verbose_name="现行版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField("首次发布时间", null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField("最近发布时间", null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_explanation = models.TextField("撤回说明", blank=True)
    removed_at = models.DateTimeField("下架时间", null=True, blank=True)
    interpretation_of = models.ForeignKey(
        "self", verbose_name="解读的政策文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    interpretation_form = models.CharField(
        "解读形式", max_length=12, choices=InterpretationForm.choices, blank=True
    )
    retro_review_pending = models.BooleanField("待事后审核", default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        indexes = [
            models.Index(fields=["column", "-first_published_at"]),
            models.Index(fields=["org", "-first_published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["org", "index_year", "index_serial"], name="document_unique_serial"),
        ]

    def __str__(self) -> str:
        return self.index_number or f"未发布 #{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.live_edition_id is not None and self.withdrawn_at is None and self.removed_at is None

    @property
    def url_key(self) -> str:
        return self.index_number or str(self.public_id)


class Edition(models.Model):
    """One version of a document's content and metadata, moving through the review workflow."""

    class ChangeKind(models.TextChoices):
        MINOR = "minor", "小修改"
        MAJOR = "major", "实质修改"

    document = models.ForeignKey(Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField("版本号", default=1)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    level = models.PositiveSmallIntegerField("当前审核级次", default=0)
    chain = models.CharField(
        "审核流程", max_length=100, blank=True, help_text="送审时机构审核流程的快照，逗号分隔的角色。"
    )
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("发文字号", max_length=100, blank=True)
    written_date = models.DateField("成文日期", null=True, blank=True)
    published_date = models.DateField("发布日期", null=True, blank=True)
    topic = models.CharField("主题分类", max_length=2, choices=Topic.choices, default=Topic.GENERAL)
    genre = models.CharField("体裁", max_length=16, choices=Genre.choices, default=Genre.OTHER_DOC)
    keywords = models.CharField("主题词", max_length=200, blank=True)
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_date = models.DateField("失效/废止日期", null=True, blank=True)
    abolished_by = models.CharField("废止依据文件", max_length=200, blank=True)
    body = models.TextField("正文", blank=True, help_text="经过清洗的HTML。")
    body_text = models.TextField("正文纯文本", blank=True, editable=False)
    info_date = models.DateField(
        "信息形成或变更日期", null=True, blank=True,
        help_text="条例第26条：自该日起20个工作日内公开。",
    )
    change_kind = models.CharField("修改类型", max_length=5, choices=ChangeKind.choices, blank=True)
    change_note = models.CharField("修改说明", max_length=300, blank=True)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True, db_index=True)
    urgent_reason = models.CharField("紧急发布理由", max_length=300, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    content_hash = models.CharField("内容哈希", max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="拟稿人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="edition_unique_number")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    @property
    def org(self):
        return self.document.org


class IndexCounter(models.Model):
    """The last 索引号 serial handed out per org and year; locked row by row on allocation."""

    org = models.ForeignKey("orgs.Organization", verbose_name="机构", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("年份")
    last_serial = models.PositiveIntegerField("已用流水号", default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="index_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last_serial}"
