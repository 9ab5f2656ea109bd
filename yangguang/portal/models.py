"""公开指南 revisions: an org's own guide text is a publication. Staff write a revision, submit
it (screened like a document), and a leader of the org approves it; only then does it show on
`/guide/<org>/`. Every revision's full text is kept. Without an approved revision (or when the
approved one is empty: "back to the generated guide") the portal shows the guide generated
from the organization's data (see `guide.py`). The states are one table, enforced by
`next_state()`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class GuideState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已批准发布")
    RETURNED = "returned", _("已退回")


class GuideAction(models.TextChoices):
    SAVE = "save", _("保存草稿")
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("批准发布")
    RETURN = "return", _("退回修改")


GUIDE_TRANSITIONS: dict[tuple[str, str], str] = {
    (GuideState.DRAFT, GuideAction.SAVE): GuideState.DRAFT,
    (GuideState.DRAFT, GuideAction.SUBMIT): GuideState.SUBMITTED,
    (GuideState.SUBMITTED, GuideAction.APPROVE): GuideState.APPROVED,
    (GuideState.SUBMITTED, GuideAction.RETURN): GuideState.RETURNED,
}

# A draft or a submitted revision is "open": an org has at most one at a time, so revisions
# follow each other and "the previous approved revision" is the approved one numbered before.
OPEN_STATES = (GuideState.DRAFT, GuideState.SUBMITTED)


def next_state(state: str, action: str) -> str:
    return step(GUIDE_TRANSITIONS, state, action, states=GuideState, actions=GuideAction,
                noun=str(_("公开指南修订")))


class GuideRevision(models.Model):
    State = GuideState

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="guide_revisions"
    )
    number = models.PositiveIntegerField(_("修订号"), help_text=_("本机构公开指南的第几次修订，从1起连续编号。"))
    text = models.TextField(
        _("指南正文"), blank=True,
        help_text=_("纯文本，空行分段；以“一、”“（一）”等开头的行显示为小标题。为空表示恢复为自动生成的指南。"),
    )
    sha256 = models.CharField(_("正文哈希"), max_length=64, help_text=_("正文的 SHA-256，与审计日志中的记录对应。"))
    state = models.CharField(_("状态"), max_length=10, choices=GuideState.choices, default=GuideState.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("最后修改正文的人。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    findings = models.JSONField(
        _("审查发现"), default=list, blank=True,
        help_text=_("最近一次审查（提交或审核时）的发现：类型、级别、名称、命中内容、行号；外部链接也在其中。"),
    )
    links_verified = models.BooleanField(
        _("外部链接已核实"), default=False, help_text=_("审核人批准时确认正文中的外部链接已逐一核实。"))
    warnings_checked = models.BooleanField(
        _("警告已核实"), default=False, help_text=_("审核人批准时确认警告性审查发现（如手机号码）已逐条核实。"))

    class Meta:
        verbose_name = _("公开指南修订")
        verbose_name_plural = _("公开指南修订")
        ordering = ["org", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="guide_revision_unique_number"),
            models.UniqueConstraint(fields=["org"], condition=Q(state__in=["draft", "submitted"]),
                                    name="guide_revision_one_open_per_org"),
        ]
        indexes = [models.Index(fields=["org", "state", "number"], name="guide_revision_org_state")]

    def __str__(self) -> str:
        return f"{self.org_id} #{self.number}: {self.get_state_display()}"

    @property
    def is_reset(self) -> bool:
        """An empty revision puts the generated guide back on the public page."""
        return not self.text.strip()
