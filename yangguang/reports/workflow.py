"""The life of an annual report, as one table. The status is derived from the versions (never
stored): no version → 起草中; latest version unpublished → 已定稿; any version published → 已发布."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.core.statemachine import step


class Status(models.TextChoices):
    NONE = "none", _("未起草")
    DRAFT = "draft", _("起草中")
    FINALIZED = "finalized", _("已定稿待发布")
    PUBLISHED = "published", _("已发布")


class Action(models.TextChoices):
    EDIT = "edit", _("编辑")
    FINALIZE = "finalize", _("定稿")
    PUBLISH = "publish", _("发布")
    CORRECT = "correct", _("发布更正版本")


S, A = Status, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.NONE, A.EDIT): S.DRAFT,
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.FINALIZED, A.EDIT): S.FINALIZED,  # editing the draft does not touch the frozen version
    (S.PUBLISHED, A.EDIT): S.PUBLISHED,  # the edits become the next (correction) version
    (S.DRAFT, A.FINALIZE): S.FINALIZED,
    # Before publication a new finalization supersedes the unpublished one, which is kept.
    (S.FINALIZED, A.FINALIZE): S.FINALIZED,
    (S.FINALIZED, A.PUBLISH): S.PUBLISHED,
    # After publication every change is a dated correction, published at once; old versions stay.
    (S.PUBLISHED, A.CORRECT): S.PUBLISHED,
}


def next_status(status: str, action: str) -> str:
    return step(TRANSITIONS, status, action, states=Status, actions=Action, noun="年度报告")
