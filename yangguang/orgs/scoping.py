"""Object-level rules: who sees and acts on which organization's work.

- Staff act only on their own organization's work.
- 政务公开办 (supervisor) additionally reads its region's whole subtree.
- Superusers see everything (system maintenance).
"""

import rules

from .roles import Role


def can_read_org(user, org) -> bool:
    if not getattr(user, "is_authenticated", False) or org is None:
        return False
    if user.is_superuser or user.org_id == org.id:
        return True
    return user.has_role(Role.SUPERVISOR) and user.org is not None and org.path.startswith(user.org.path)


def can_act_in_org(user, org) -> bool:
    return getattr(user, "is_authenticated", False) and org is not None and user.org_id == org.id


# 本单位领导: who signs off for an organization (withdrawal of a published document, the 公开指南).
LEADER_ROLES = (Role.PRINCIPAL, Role.DEPUTY)


def is_org_leader(user, org) -> bool:
    """主要领导 or 分管领导 of `org` itself (no admin or supervisor bypass)."""
    return can_act_in_org(user, org) and any(user.has_role(role) for role in LEADER_ROLES)


def readable_org_ids_q(user, field: str = "org"):
    """A Q object restricting a queryset to organizations `user` may read."""
    from django.db.models import Q

    if user.is_superuser:
        return Q()
    q = Q(**{f"{field}_id": user.org_id})
    if user.has_role(Role.SUPERVISOR) and user.org is not None:
        q |= Q(**{f"{field}__path__startswith": user.org.path})
    return q


@rules.predicate
def reads_org_of(user, obj) -> bool:
    return can_read_org(user, getattr(obj, "org", obj))


@rules.predicate
def acts_in_org_of(user, obj) -> bool:
    return can_act_in_org(user, getattr(obj, "org", obj))


rules.add_perm("orgs.read_org_work", reads_org_of)
rules.add_perm("orgs.act_in_org", acts_in_org_of)
