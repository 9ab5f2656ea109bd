"""The 行政复议机关 named on a reply (issue #14: the remedies sentence names the body and the limits).

An administrator may name it per org (ReconsiderationSetting, in the admin); otherwise it is
derived from the org tree by the rules of 行政复议法 (2023) 第24、27条 (law.RECONSIDERATION_RULES):
a department → 本级人民政府 (the nearest government above it); a 街道办事处 → the government that
set it up; a local government → the next higher government; a vertically managed body (税务,
海关 …) → its upper-level department, which the tree does not hold and must be named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import law
from .models import ReconsiderationSetting


@dataclass(frozen=True)
class ReconsiderationBody:
    name: str  # as printed on the letter
    basis: str  # the article, or "" when an administrator named the body
    named: bool  # False: the tree could not name it; the letter describes it (e.g. "上一级人民政府")
    configured: bool  # named by an administrator

    @property
    def problem(self) -> str:
        """What the case page says when the body could not be named."""
        if self.named:
            return ""
        return _("未能确定本机关的行政复议机关，答复书将写为“%(name)s”。请系统管理员在“复议机关设置”中填写复议机关全称。") % {
            "name": self.name}


def _government_above(org):
    """The nearest 人民政府 strictly above ``org`` in the tree, or None."""
    node = org.parent
    while node is not None:
        if node.kind in law.GOVERNMENT_KINDS:
            return node
        node = node.parent
    return None


def body_for(org) -> ReconsiderationBody:
    """The 行政复议机关 of ``org``'s acts."""
    setting = ReconsiderationSetting.objects.filter(org=org).first()
    vertical = bool(setting and setting.vertically_managed)
    if setting and setting.body_name:
        return ReconsiderationBody(setting.body_name, "", named=True, configured=True)
    rule = law.reconsideration_rule(org.kind, vertically_managed=vertical)
    if vertical:  # the upper-level department is outside this org tree
        return ReconsiderationBody(_("%(org)s的%(body)s") % {"org": org.name, "body": rule.body}, rule.basis,
                                   named=False, configured=False)
    government = _government_above(org)
    if government is None:
        return ReconsiderationBody(_("%(org)s的%(body)s") % {"org": org.name, "body": rule.body}, rule.basis,
                                   named=False, configured=False)
    return ReconsiderationBody(government.name, rule.basis, named=True, configured=False)


def remedy_sentence(org, *, you: str, act: str = "答复") -> str:
    """The remedies sentence of a reply or 不予处理告知书: the body and both time limits, each
    with its source (law.RECONSIDERATION_DAYS, law.LITIGATION_MONTHS)."""
    body = body_for(org)
    return _("%(you)s如对本%(act)s不服，可以自收到本%(act)s之日起%(days)d日内向%(body)s申请行政复议（%(days_basis)s），"
             "或者自收到本%(act)s之日起%(months)d个月内依法向人民法院提起行政诉讼（%(months_basis)s）。") % {
        "you": you, "act": act, "days": law.RECONSIDERATION_DAYS, "body": body.name,
        "days_basis": law.RECONSIDERATION_DAYS_BASIS, "months": law.LITIGATION_MONTHS,
        "months_basis": law.LITIGATION_MONTHS_BASIS}
