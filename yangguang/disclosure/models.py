import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import ExtensionState, State

# Tracking codes: 16 characters from a 31-letter alphabet without look-alikes ≈ 79 bits —
# unguessable; the status page additionally asks for the phone or e-mail given.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(16))


class Application(models.Model):
    """一件政府信息公开申请 (条例第29条)."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("受理机关"), on_delete=models.PROTECT,
                            related_name="applications")
    number = models.CharField(_("申请编号"), max_length=40)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, default=new_tracking_code,
                                     editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RECEIVED,
                             db_index=True)
    # 条例第29条第二款第（一）项: 申请人的姓名或者名称、身份证明、联系方式
    applicant_type = models.CharField(_("申请人类型"), max_length=12)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_number = models.CharField(_("身份证明号码"), max_length=40, blank=True,
                                 help_text=_("居民身份证号或统一社会信用代码；只对承办人显示完整号码，查看留痕。"))
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    # 第（二）项: 申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述
    description = models.TextField(_("所需信息的名称或描述"))
    doc_reference = models.CharField(_("文号"), max_length=200, blank=True)
    # 第（三）项: 形式要求，包括获取信息的方式、途径
    delivery_form = models.CharField(_("信息形式"), max_length=40, blank=True)
    delivery_route = models.CharField(_("获取途径"), max_length=40, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=20)
    received_date = models.DateField(_("收到申请之日"), help_text=_("条例第31条"))
    assigned_org = models.ForeignKey("orgs.Organization", verbose_name=_("承办机构"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="assigned_applications")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    reply_type = models.CharField(_("答复类型"), max_length=16, blank=True)
    published_document = models.ForeignKey(
        "publishing.Document", verbose_name=_("已主动公开的文件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("答复类型为“已经主动公开”时，答复书链接到该文件。"),
    )
    outcome = models.CharField(_("办理结果"), max_length=4, blank=True, help_text=_("年报表三的结果代码。"))
    reply_reason = models.TextField(_("答复理由或获取途径"), blank=True,
                                    help_text=_("承办人写入答复书的理由、说明或获取信息的方式、途径和时间。"))
    closed_date = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    fee_method = models.CharField(_("收费方式"), max_length=16, blank=True)
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_pages = models.PositiveIntegerField(_("计费页数"), null=True, blank=True)
    fee_paid_date = models.DateField(_("缴费日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="application_unique_number")]
        indexes = [models.Index(fields=["org", "state"]), models.Index(fields=["assigned_org", "state"])]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"


class ClockEvent(models.Model):
    """A dated event that moves the statutory clock: each with its legal basis."""

    class Kind(models.TextChoices):
        CORRECTION_REQUESTED = "correction_requested", _("告知补正")
        CORRECTION_RECEIVED = "correction_received", _("收到补正")
        CONSULTATION = "consultation", _("征求第三方意见（不计入期限）")
        EXTENSION = "extension", _("延期答复")
        FEE = "fee", _("收费通知至缴费（不计入期限）")
        ART35_DATE = "art35_date", _("第35条另行确定的答复期限")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE,
                                    related_name="clock_events")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    start = models.DateField(_("日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("暂停类事件：结束之日；未结束为空。"))
    days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    basis = models.CharField(_("法律依据"), max_length=100)
    reason = models.TextField(_("理由"), blank=True)
    party = models.CharField(_("第三方"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    backdate_reason = models.TextField(_("补录理由"), blank=True,
                                       help_text=_("日期早于登记当天时必填：为什么事后补录。"))
    end_backdate_reason = models.TextField(_("结束日期补录理由"), blank=True,
                                           help_text=_("结束日期早于登记当天时必填。"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限事件")
        verbose_name_plural = _("期限事件")
        ordering = ["application", "start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"


class ExtensionRequest(models.Model):
    """延期申请: the handler asks, the head of the disclosure office approves or refuses (条例第33条
    第二款). The states are one table (workflow.EXTENSION_TRANSITIONS). A head's direct extension is
    a request approved in the same step (``direct``)."""

    State = ExtensionState

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="extension_requests")
    state = models.CharField(_("状态"), max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.REQUESTED)
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延期理由"), help_text=_("写入延期答复告知书。"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人（承办人）"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    requested_on = models.DateField(_("申请日期"), default=timezone.localdate,
                                    help_text=_("批准日期不得早于该日。"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_on = models.DateField(_("批准日期"), null=True, blank=True,
                                  help_text=_("计入答复期限的批准之日，不得晚于当时的答复期限。"))
    decision_comment = models.TextField(_("审批意见"), blank=True)
    direct = models.BooleanField(_("负责人直接批准"), default=False)
    event = models.OneToOneField(ClockEvent, verbose_name=_("延期事件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="extension_request")
    letter = models.ForeignKey("Letter", verbose_name=_("延期答复告知书"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["application", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=models.Q(state="requested"),
                                    name="extension_one_pending_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.days} {self.get_state_display()}"


class ApplicationCounter(models.Model):
    """The last application serial per receiving org and year (申请编号)."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("申请编号计数器")
        verbose_name_plural = _("申请编号计数器")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="application_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last_serial}"


class Letter(models.Model):
    """An issued letter (文书). Immutable once issued: a correction is a new letter."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("申请登记回执")
        CORRECTION = "correction", _("补正告知书")
        EXTENSION = "extension", _("延期答复告知书")
        CONSULTATION = "consultation", _("征求第三方意见书")
        FEE = "fee", _("收费通知书")
        REPLY = "reply", _("政府信息公开申请答复书")
        REFUSE_TO_HANDLE = "refuse_to_handle", _("不予处理告知书")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("正文"), help_text=_("签发时的全文，签发后不再改变。"))
    docx_name = models.CharField(_("Word文件存储名"), max_length=80)
    pdf_name = models.CharField(_("PDF文件存储名"), max_length=80)
    docx_sha256 = models.CharField(_("Word文件SHA-256"), max_length=64)
    pdf_sha256 = models.CharField(_("PDF文件SHA-256"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["application", "issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class Remedy(models.Model):
    """行政复议 / 行政诉讼 about an application (annual report table 四)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER = "litigation_after", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="remedies")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    filed_date = models.DateField(_("提起日期"))
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.PENDING)
    result_date = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("复议诉讼记录")
        verbose_name_plural = _("复议诉讼记录")
        ordering = ["application", "filed_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_date}"


class ProofFile(models.Model):
    """身份证明 and other files of an application: private, shown only to the people handling it."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="proof_files")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=80)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReplyFile(models.Model):
    """答复附件: the information released with a reply (条例第36条第（二）项、第37条), uploaded by the
    handler before replying, read and screened like a publication attachment (core/uploads.py,
    core/screening.py): a file with a blocking finding is refused; one the upload could not read
    within its second is 读取审查中 until the task worker has read and screened it. Stored
    privately; the applicant downloads it from the status page once the case is closed; the
    答复书 lists it. Fixed once the reply is issued."""

    class TextState(models.TextChoices):
        READY = "ready", _("已审查")
        PENDING = "pending", _("读取审查中")
        REFUSED = "refused", _("未通过")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="reply_files")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=80)
    content_type = models.CharField(_("类型"), max_length=100)
    type_label = models.CharField(_("类型名称"), max_length=20)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    text_state = models.CharField(_("审查状态"), max_length=10, choices=TextState.choices, default=TextState.READY)
    refusal = models.TextField(_("未通过原因"), blank=True)
    warnings = models.JSONField(_("需核实的审查提示"), default=list, blank=True,
                                help_text=_("非阻断性的审查发现（已遮蔽），答复前由承办人核实。"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_label(self) -> str:
        from yangguang.core.uploads import size_label

        return size_label(self.size)


class ReconsiderationSetting(models.Model):
    """复议机关设置 of an org, named on its 答复书. Without a name the body is derived from the org
    tree (reconsideration.py, 行政复议法第24、27条); a vertically managed body (税务、海关、金融、
    外汇管理、国家安全) needs its upper-level department named here."""

    org = models.OneToOneField("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE,
                               related_name="reconsideration_setting")
    vertically_managed = models.BooleanField(
        _("实行垂直领导"), default=False,
        help_text=_("海关、金融、外汇管理等实行垂直领导的机关，以及税务和国家安全机关：向上一级主管部门申请行政复议"
                    "（行政复议法第二十七条）。"))
    body_name = models.CharField(
        _("行政复议机关"), max_length=100, blank=True,
        help_text=_("写入答复书的复议机关全称。留空则按机构层级推定：部门为本级人民政府，地方人民政府为上一级人民政府"
                    "（行政复议法第二十四条）。"))

    class Meta:
        verbose_name = _("复议机关设置")
        verbose_name_plural = _("复议机关设置")

    def __str__(self) -> str:
        return f"{self.org}: {self.body_name or '—'}"
