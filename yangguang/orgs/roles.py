"""Roles. A user holds one or more; review chains are lists of reviewer roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("信息员")
    SECTION_HEAD = "section_head", _("科室负责人")
    SECRECY = "secrecy", _("保密审查员")
    DEPUTY = "deputy", _("分管领导")
    PRINCIPAL = "principal", _("主要领导")
    HANDLER = "handler", _("承办人")
    URGENT = "urgent", _("紧急发布权")
    SUPERVISOR = "supervisor", _("政务公开办")
    ADMIN = "admin", _("系统管理员")


REVIEWER_ROLES = (Role.SECTION_HEAD, Role.SECRECY, Role.DEPUTY, Role.PRINCIPAL)

# The chain the seeds describe: 拟稿人 → 科室负责人复核 → 保密审查 → 分管领导审核 → 主要领导审批.
DEFAULT_REVIEW_CHAIN = (Role.SECTION_HEAD, Role.SECRECY, Role.DEPUTY, Role.PRINCIPAL)
MAX_REVIEW_LEVELS = 5
