"""Organizations, users, roles and review chains."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from yangguang.core import audit
from yangguang.core.errors import InvalidInput
from yangguang.core.text import clean_text

from .codes import validate_code
from .models import Organization, OrgKind, ReviewLevel, RoleGrant, User
from .roles import DEFAULT_REVIEW_CHAIN, MAX_REVIEW_LEVELS, REVIEWER_ROLES, Role


def create_organization(
    *, code: str, name: str, kind: str, slug: str, parent: Organization | None = None, short_name: str = "",
    by=None, with_catalog: bool = True, chain: Iterable[str] | None = None, audit_event: bool = True,
) -> Organization:
    """A new org with its standard catalog columns and the default review chain."""
    from yangguang.publishing.catalog import instantiate_catalog  # orgs → publishing only at run time

    # The one text hygiene (core/text.py): a bidi override in a name would show it reversed.
    code, name, short_name, slug = clean_text(code), clean_text(name), clean_text(short_name), clean_text(slug)
    problems = org_problems(code=code, name=name, kind=kind, slug=slug)
    if problems:
        raise InvalidInput("机构信息有误：", details=problems)
    with transaction.atomic():
        org = Organization.objects.create(
            code=code, name=name, short_name=short_name, kind=kind, slug=slug, parent=parent,
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
        problems.append(f"机构代码“{code}”：{err}")
    if not (name or "").strip():
        problems.append("机构名称不能为空")
    if kind not in OrgKind.values:
        problems.append(f"机构类型“{kind}”不正确，应为：{'、'.join(OrgKind.values)}")
    if not slug or slugify(slug) != slug:
        problems.append(f"网址标识“{slug}”只能包含小写字母、数字、连字符")
    elif slug in RESERVED_SLUGS:
        problems.append(f"网址标识“{slug}”为系统保留，请换一个")
    return problems


def set_review_chain_unchecked(org: Organization, roles: list[str]) -> None:
    if not 1 <= len(roles) <= MAX_REVIEW_LEVELS:
        raise InvalidInput(f"审核流程须为1至{MAX_REVIEW_LEVELS}级。")
    bad = [r for r in roles if r not in {str(x) for x in REVIEWER_ROLES}]
    if bad:
        raise InvalidInput(f"审核流程中的角色不正确：{'、'.join(bad)}")
    org.review_levels.all().delete()
    ReviewLevel.objects.bulk_create(
        [ReviewLevel(org=org, position=i, role=r) for i, r in enumerate(roles, start=1)]
    )


def set_review_chain(org: Organization, roles: list[str], by) -> None:
    with transaction.atomic():
        set_review_chain_unchecked(org, roles)
        audit.record("org.review_chain", org, actor=by, org_id=org.id, data={"chain": roles})


def create_user(
    *, username: str, password: str | None, org: Organization | None, roles: Iterable[str], display_name: str = "",
    by=None, is_superuser: bool = False,
) -> User:
    """`password=None` leaves the account without a usable password until one is set."""
    roles = list(roles)
    username, display_name = clean_text(username), clean_text(display_name)
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise InvalidInput(f"角色不正确：{'、'.join(bad)}")
    with transaction.atomic():
        user = User(username=username, org=org, display_name=display_name, is_superuser=is_superuser,
                    is_staff=is_superuser or Role.ADMIN in roles)
        user.set_password(password)
        user.save()
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        audit.record("user.create", user, actor=by, org_id=org.id if org else None,
                     data={"username": username, "roles": roles})
    return user
