"""Organizations, users, roles and review chains."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.text import clean_text

from . import permissions
from .codes import validate_code
from .models import Organization, OrgKind, ReviewLevel, RoleGrant, User
from .roles import DEFAULT_REVIEW_CHAIN, MAX_REVIEW_LEVELS, REVIEWER_ROLES, Role


def create_organization(
    *, code: str, name: str, kind: str, slug: str, parent: Organization | None = None, short_name: str = "",
    by=None, with_catalog: bool = True, chain: Iterable[str] | None = None, audit_event: bool = True,
    address: str = "", phone: str = "", office_hours: str = "",
) -> Organization:
    """A new org with its standard catalog columns and the default review chain (or ``chain``)."""
    from yangguang.publishing.catalog import instantiate_catalog  # orgs → publishing only at run time

    # The one text hygiene (core/text.py): a bidi override in a name would show it reversed.
    code, name, short_name, slug = clean_text(code), clean_text(name), clean_text(short_name), clean_text(slug)
    problems = org_problems(code=code, name=name, kind=kind, slug=slug)
    if problems:
        raise InvalidInput(_("机构信息有误："), details=problems)
    with transaction.atomic():
        org = Organization.objects.create(
            code=code, name=name, short_name=short_name, kind=kind, slug=slug, parent=parent,
            address=clean_text(address), phone=clean_text(phone), office_hours=clean_text(office_hours),
        )
        set_review_chain_unchecked(org, list(chain) if chain is not None else [str(r) for r in DEFAULT_REVIEW_CHAIN])
        if with_catalog:
            instantiate_catalog(org)
        if audit_event:
            audit.record("org.create", org, actor=by, org_id=org.id, data={"code": code, "name": name, "kind": kind})
    return org


# First path segments the site itself uses; an org slug equal to one would shadow or be shadowed.
RESERVED_SLUGS = frozenset({
    "admin", "api", "apply", "bench", "bulletins", "feeds", "files", "guide", "healthz", "login", "logout", "orgs", "reports",
    "robots.txt", "search", "sitemap.xml", "static", "tools", "workbench",
})


def org_problems(*, code: str, name: str, kind: str, slug: str) -> list[str]:
    problems = []
    err = validate_code(code or "")
    if err:
        problems.append(_("机构代码“%(code)s”：%(error)s") % {"code": code, "error": err})
    if not (name or "").strip():
        problems.append(_("机构名称不能为空"))
    if kind not in OrgKind.values:
        problems.append(_("机构类型“%(kind)s”不正确，应为：%(kinds)s") % {"kind": kind, "kinds": "、".join(OrgKind.values)})
    if not slug or slugify(slug) != slug:
        problems.append(_("网址标识“%(slug)s”只能包含小写字母、数字、连字符") % {"slug": slug})
    elif slug in RESERVED_SLUGS:
        problems.append(_("网址标识“%(slug)s”为系统保留，请换一个") % {"slug": slug})
    return problems


def review_chain_problems(roles: list[str]) -> list[str]:
    """What is wrong with a review chain: 1 to MAX_REVIEW_LEVELS levels, each a reviewer role."""
    problems = []
    if not 1 <= len(roles) <= MAX_REVIEW_LEVELS:
        problems.append(_("审核流程须为1至%(max)s级。") % {"max": MAX_REVIEW_LEVELS})
    bad = [r for r in roles if r not in {str(x) for x in REVIEWER_ROLES}]
    if bad:
        problems.append(_("审核流程中的角色不正确：%(roles)s") % {"roles": "、".join(bad)})
    return problems


def set_review_chain_unchecked(org: Organization, roles: list[str]) -> None:
    """The chain without a permission check or an audit event: for a new org, inside the
    transaction (and audit event) of its creation."""
    problems = review_chain_problems(roles)
    if problems:
        raise InvalidInput(problems[0], details=problems[1:])
    org.review_levels.all().delete()
    ReviewLevel.objects.bulk_create(
        [ReviewLevel(org=org, position=i, role=r) for i, r in enumerate(roles, start=1)]
    )


def set_review_chain(org: Organization, roles: list[str], by) -> None:
    """信息发布审核流程 of ``org``: a system administrator's change (permissions.can_change_settings),
    validated, in one transaction with one audit event (the chain before and after)."""
    if not permissions.can_change_settings(by):
        raise NotAllowed(_("只有系统管理员可以修改审核流程。"))
    roles = [str(r) for r in roles]
    with transaction.atomic():
        before = org.review_roles()
        set_review_chain_unchecked(org, roles)
        audit.record("org.review_chain", org, actor=by, org_id=org.id, data={"chain": roles, "before": before})


def create_user(
    *, username: str, password: str | None, org: Organization | None, roles: Iterable[str], display_name: str = "",
    by=None, is_superuser: bool = False,
) -> User:
    """`password=None` leaves the account without a usable password until one is set."""
    roles = list(roles)
    username, display_name = clean_text(username), clean_text(display_name)
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise InvalidInput(_("角色不正确：%(roles)s") % {"roles": "、".join(bad)})
    with transaction.atomic():
        user = User(username=username, org=org, display_name=display_name, is_superuser=is_superuser,
                    is_staff=is_superuser or Role.ADMIN in roles)
        user.set_password(password)
        user.save()
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        audit.record("user.create", user, actor=by, org_id=org.id if org else None,
                     data={"username": username, "roles": roles})
    return user
