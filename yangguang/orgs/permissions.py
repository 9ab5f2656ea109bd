"""Who may do what: the one module that reads roles and the organization tree.

Every rule of the house about people and organizations is a named question here. Services ask
them and raise ``NotAllowed``; views, the API and templates ask the same functions to decide what
to show (``*_actions`` below compute a per-object dict for templates). No other module compares
organization paths or combines roles; a new app adds its questions here, in its own section, and
the permission matrix test (tests/permissions/) checks that its services, views and API agree.

The rules (spec/publishing.md, spec/disclosure.md, seeds):

- Staff act only in their own organization (``acts_in_org``); nobody acts in another org's work.
- 政务公开办 (Role.SUPERVISOR) reads the whole subtree of its own org and supervises it
  (``supervises``); superusers read everything (system maintenance) but act nowhere by default.
- 本单位领导 (主要领导, 分管领导) signs off for its own org: withdrawals, the 公开指南, the annual
  report; never with an admin or supervisor bypass.

Objects are read duck-typed (``edition.document.org``, ``app.org``, ``app.assigned_org_id``) so this
module imports no app; where a rule depends on an app's table (the review level's role) the app's
table is read lazily.
"""

from __future__ import annotations

from .roles import REVIEWER_ROLES, Role

# 本单位领导: who signs off for an organization (withdrawal of a published document, the 公开指南,
# the annual report).
LEADER_ROLES = (Role.PRINCIPAL, Role.DEPUTY)
# Who may ask for a published document to be withdrawn (信息员, 审核人, 紧急发布权).
PUBLISHING_ROLES = (Role.CLERK, Role.URGENT, *REVIEWER_ROLES)
# 政府信息公开工作机构负责人 who approves an extension (条例第33条第二款): the office or the head.
EXTENSION_APPROVER_ROLES = (Role.SUPERVISOR, Role.PRINCIPAL)


# --- people and the organization tree --------------------------------------------------------------

def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _has(user, *roles) -> bool:
    return _authenticated(user) and any(user.has_role(r) for r in roles)


def in_region(org, region) -> bool:
    """Is ``org`` the ``region`` itself or below it in the tree?"""
    return org is not None and region is not None and org.path.startswith(region.path)


def region_q(region, field: str = "org"):
    """A Q object: rows whose ``field`` organization is in ``region``'s subtree."""
    from django.db.models import Q

    return Q(**{f"{field}__path__startswith": region.path})


def reads_org(user, org) -> bool:
    """Its own staff, the 政务公开办 above it, superusers."""
    if not _authenticated(user) or org is None:
        return False
    if user.is_superuser or user.org_id == org.id:
        return True
    return user.has_role(Role.SUPERVISOR) and user.org is not None and in_region(org, user.org)


def readable_orgs_q(user, field: str = "org"):
    """A Q object restricting a queryset to the organizations ``user`` may read (``reads_org``)."""
    from django.db.models import Q

    if user.is_superuser:
        return Q()
    q = Q(**{f"{field}_id": user.org_id})
    if user.has_role(Role.SUPERVISOR) and user.org is not None:
        q |= region_q(user.org, field)
    return q


def acts_in_org(user, org) -> bool:
    """Staff of ``org`` itself (no supervisor or superuser bypass)."""
    return _authenticated(user) and org is not None and user.org_id == org.id


def is_org_leader(user, org) -> bool:
    """主要领导 or 分管领导 of ``org`` itself."""
    return acts_in_org(user, org) and _has(user, *LEADER_ROLES)


def is_supervisor(user) -> bool:
    """A 政务公开办 with an org (its region), or a superuser: may open the supervision pages."""
    return _authenticated(user) and (user.is_superuser or (user.has_role(Role.SUPERVISOR) and user.org_id is not None))


def supervisor_region(user):
    """The region a 政务公开办 supervises (its own org), or None for everyone else."""
    if _authenticated(user) and user.has_role(Role.SUPERVISOR) and user.org_id is not None:
        return user.org
    return None


def supervises(user, org) -> bool:
    """政务公开办 of a region acts on every org of its subtree (quotas, removal, supervision items)."""
    return _has(user, Role.SUPERVISOR) and user.org is not None and in_region(org, user.org)


def reads_region(user, region) -> bool:
    """May ``user`` see region-wide figures for ``region`` (the supervision overview, the region's
    annual reports)? Its 政务公开办 or a superuser, over a region within their reach."""
    return is_supervisor(user) and reads_org(user, region)


def supervisors_among(org, supervisors) -> list:
    """Those of ``supervisors`` (政务公开办 staff, already filtered by role) whose region contains
    ``org``: who is told about its rectifications."""
    return [u for u in supervisors if in_region(org, u.org)]


def is_system_admin(user) -> bool:
    return _authenticated(user) and bool(user.is_superuser)


# --- 信息发布 (publishing) ------------------------------------------------------------------------

def can_draft(user, org) -> bool:
    """信息员 (or a holder of 紧急发布权) of ``org`` writes and edits its drafts."""
    return acts_in_org(user, org) and _has(user, Role.CLERK, Role.URGENT)


def review_role(edition) -> str | None:
    from yangguang.publishing.services.review import role_for_level

    return role_for_level(edition)


def can_review(user, edition) -> bool:
    """The reviewer of the edition's current level, of its org, never the draft's author."""
    role = review_role(edition)
    return (role is not None and acts_in_org(user, edition.document.org) and _has(user, role)
            and edition.author_id != user.pk)


def can_unschedule(user, edition) -> bool:
    return acts_in_org(user, edition.document.org) and _has(user, Role.CLERK, Role.PRINCIPAL)


def can_urgent_publish(user, org) -> bool:
    return acts_in_org(user, org) and _has(user, Role.URGENT)


def can_retro_review(user, document) -> bool:
    """The last level of the org's review chain reviews an urgently published document afterwards."""
    from yangguang.publishing.services.review import chain_of

    return acts_in_org(user, document.org) and _has(user, chain_of(document.org)[-1])


def sees_retro_queue(user) -> bool:
    return _authenticated(user) and user.org_id is not None and _has(user, Role.PRINCIPAL, Role.URGENT)


def can_request_withdrawal(user, document) -> bool:
    return acts_in_org(user, document.org) and _has(user, *PUBLISHING_ROLES)


def can_decide_withdrawal(user, document) -> bool:
    return is_org_leader(user, document.org)


def can_publish_generated(user, org) -> bool:
    """A document the system generated from a record a leader signed off (the annual report): the
    leader's sign-off stands in for the review chain, so only a leader of the org publishes it."""
    return is_org_leader(user, org)


def can_remove_document(user, document) -> bool:
    """下架: the 政务公开办 of the document's region."""
    return supervises(user, document.org)


# --- 公开指南 (portal guide) ----------------------------------------------------------------------

def can_edit_guide(user, org) -> bool:
    """Any staff member of the org may write and submit a revision; publication needs a leader."""
    return acts_in_org(user, org)


def can_decide_guide(user, revision) -> bool:
    """A leader of the same org who neither wrote nor submitted the revision."""
    return is_org_leader(user, revision.org) and user.pk not in (revision.author_id, revision.submitted_by_id)


# --- 依申请公开 (disclosure) -----------------------------------------------------------------------

def handles(user, app) -> bool:
    """The receiving org's 政务公开办 / 承办人, or a 承办人 of the department it is assigned to."""
    if not _authenticated(user):
        return False
    if user.org_id == app.org_id and _has(user, Role.SUPERVISOR, Role.HANDLER):
        return True
    return app.assigned_org_id is not None and user.org_id == app.assigned_org_id and _has(user, Role.HANDLER)


def reads_application(user, app) -> bool:
    """Who reads the case: its org and the supervisors above it, and the department it is assigned to."""
    if reads_org(user, app.org):
        return True
    return _authenticated(user) and app.assigned_org_id is not None and app.assigned_org_id == user.org_id


def applications_q(user):
    """A Q object over Application: the cases ``user`` reads (``reads_application``), for lists."""
    from django.db.models import Q

    q = Q(assigned_org_id=user.org_id) | Q(org_id=user.org_id)
    if user.has_role(Role.SUPERVISOR) and user.org is not None:
        q |= region_q(user.org)
    return q


def can_register_application(user, org) -> bool:
    """Staff registration of a paper/visit application: the org's 政务公开办 or 承办人."""
    return acts_in_org(user, org) and _has(user, Role.SUPERVISOR, Role.HANDLER)


def registers_applications(user) -> bool:
    return _authenticated(user) and user.org_id is not None and _has(user, Role.SUPERVISOR, Role.HANDLER)


def can_assign(user, app) -> bool:
    """分办 is the receiving org's 政务公开办's (its handlers handle, they do not distribute)."""
    return acts_in_org(user, app.org) and _has(user, Role.SUPERVISOR)


def can_assign_to(app, department) -> bool:
    """A case is assigned within the receiving org's subtree."""
    return in_region(department, app.org)


def is_handler_of(user, department) -> bool:
    return user.org_id == department.id and _has(user, Role.HANDLER)


def can_decide_extension(user, app) -> bool:
    """政府信息公开工作机构负责人 of the receiving org: its 政务公开办 or 主要领导 (条例第33条第二款)."""
    return acts_in_org(user, app.org) and _has(user, *EXTENSION_APPROVER_ROLES)


def sees_applicant_name(user, app) -> bool:
    """A natural person's name is personal data: full only for the people handling the case."""
    return handles(user, app)


# --- 年度报告 (reports) ---------------------------------------------------------------------------

def can_edit_report(user, org) -> bool:
    return acts_in_org(user, org)


def can_sign_off_report(user, org) -> bool:
    """The report is the office's own statutory statement (条例第49、50条), signed off at leader
    level; staff enter the figures and write the narrative. No admin bypass."""
    return is_org_leader(user, org)


# --- 监测、考评、整改 (monitoring) -----------------------------------------------------------------

def can_create_assessment(user) -> bool:
    return _has(user, Role.SUPERVISOR) and user.org_id is not None


def can_self_assess(user, org, period) -> bool:
    return acts_in_org(user, org) and in_region(org, period.region)


def can_answer_rectification(user, rect) -> bool:
    return acts_in_org(user, rect.org)


def can_remeasure(user, rect) -> bool:
    """The org itself, or a supervisor (or superuser) who reads it."""
    supervising = (user.is_superuser or _has(user, Role.SUPERVISOR)) and reads_org(user, rect.org)
    return acts_in_org(user, rect.org) or supervising


# --- the system ------------------------------------------------------------------------------------

def can_requeue_messages(user) -> bool:
    """Sending a given-up message again (after its cause was fixed): a system administrator."""
    return is_system_admin(user)


def can_change_settings(user) -> bool:
    """Legal thresholds, review chains, calendars, reconsideration bodies: a system administrator
    (through the admin, which routes the change through an audited service)."""
    return is_system_admin(user)
