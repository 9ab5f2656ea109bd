"""公开指南 business actions: a guide edit is a publication.

Staff of the org save a draft revision and submit it; screening (`guide_review.screen_guide`)
refuses blocking findings at submission and again at approval; a leader of the same org
(主要领导 or 分管领导, `orgs.permissions.can_decide_guide`), never the one who wrote or submitted it,
approves it (confirming warnings and external links explicitly) or returns it. Each action is
one transaction with one audit event; approvers and submitters are notified."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError
from yangguang.core.text import clean_multiline
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization, User

from .guide_review import GuideScreening, describe, screen_guide
from .models import OPEN_STATES, GuideAction, GuideRevision, GuideState, next_state

MAX_GUIDE_CHARS = 20_000
MAX_NOTE_CHARS = 2_000


# --- who may do what (the questions of orgs.permissions) ---------------------------------------

def guide_actions(user, org, revision: GuideRevision | None = None) -> dict[str, bool]:
    """What the guide pages offer ``user``: ``edit`` (write and submit a revision:
    ``can_edit_guide``); on a submitted ``revision``, ``decide`` (approve or return:
    ``can_decide_guide``) and ``own_revision`` (a leader who wrote or submitted it, and so may not)."""
    submitted = revision is not None and revision.state == GuideState.SUBMITTED
    decide = submitted and permissions.can_decide_guide(user, revision)
    return {
        "edit": permissions.can_edit_guide(user, org),
        "decide": decide,
        "own_revision": submitted and not decide and permissions.is_org_leader(user, org),
    }


# --- reading -----------------------------------------------------------------------------------

def published_revision(org) -> GuideRevision | None:
    """The revision on the public page: the last approved one (empty text: the generated guide)."""
    return (GuideRevision.objects.filter(org=org, state=GuideState.APPROVED)
            .select_related("decided_by", "submitted_by").order_by("-number").first())


def open_revision(org) -> GuideRevision | None:
    """The draft or the revision awaiting review (at most one per org)."""
    return (GuideRevision.objects.filter(org=org, state__in=OPEN_STATES)
            .select_related("author", "submitted_by").first())


def previous_approved(revision: GuideRevision) -> GuideRevision | None:
    return (GuideRevision.objects.filter(org_id=revision.org_id, state=GuideState.APPROVED, number__lt=revision.number)
            .order_by("-number").first())


# --- helpers -----------------------------------------------------------------------------------

def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _clean_text(text: str) -> str:
    text = clean_multiline(text)
    if len(text) > MAX_GUIDE_CHARS:
        raise InvalidInput(_("指南正文不能超过%(limit)d字（现为%(n)d字）。") % {"limit": MAX_GUIDE_CHARS, "n": len(text)})
    return text


def _clean_note(note: str) -> str:
    note = clean_multiline(note)
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(_("审核意见不能超过%(limit)d字。") % {"limit": MAX_NOTE_CHARS})
    return note


def _refuse_blocking(screened: GuideScreening) -> None:
    if screened.blocking:
        raise InvalidInput(
            _("公开指南含有%(n)d处不得公开的内容（阻断性审查发现），不能提交或发布，请删除后重新提交：")
            % {"n": len(screened.blocking)},
            details=describe(screened.blocking),
        )


def _event_data(revision: GuideRevision, old: str, new: str, screened: GuideScreening, **extra) -> dict:
    return {"revision": revision.pk, "number": revision.number, "from": old, "to": new,
            "sha256": revision.sha256, "chars": len(revision.text), "findings": screened.summary(), **extra}


def _notify(users, revision: GuideRevision, kind: str, title: str, body: str) -> None:
    from yangguang.core.models import Notification

    url = reverse("portal:guide_revision", args=[revision.org.slug, revision.number])
    Notification.objects.bulk_create([
        Notification(user=u, kind=kind, title=title[:200], body=body, url=url,
                     object_type="portal.guiderevision", object_id=str(revision.pk),
                     dedupe_key=f"{kind}:{revision.pk}:{u.pk}")
        for u in users
    ], ignore_conflicts=True)


def _write(org, by, text: str, screened: GuideScreening) -> tuple[GuideRevision, str]:
    """Inside the transaction: put `text` into the org's draft (a new one if there is none)."""
    Organization.objects.select_for_update().filter(pk=org.pk).first()  # one guide writer per org at a time
    revision = GuideRevision.objects.select_for_update().filter(org=org, state__in=OPEN_STATES).first()
    if revision is None:
        number = (GuideRevision.objects.filter(org=org).aggregate(n=Max("number"))["n"] or 0) + 1
        revision = GuideRevision(org=org, number=number, created_at=timezone.now())
        old = ""
    else:
        old = revision.state
        revision.state = next_state(revision.state, GuideAction.SAVE)
    revision.text, revision.sha256 = text, _digest(text)
    revision.author, revision.updated_at, revision.findings = by, timezone.now(), screened.findings
    return revision, old


# --- actions -----------------------------------------------------------------------------------

def save_draft(org, by, text: str) -> GuideRevision:
    """保存草稿: not public; screening findings are stored to show the writer what to fix."""
    if not permissions.can_edit_guide(by, org):
        raise NotAllowed(_("只有本机构的工作人员可以编辑本机构的政府信息公开指南。"))
    text = _clean_text(text)
    screened = screen_guide(text)  # before the write transaction (SQLite holds one write lock)
    with transaction.atomic():
        revision, old = _write(org, by, text, screened)
        revision.save()
        audit.record("guide.save", revision, actor=by, org_id=org.id,
                     data=_event_data(revision, old, revision.state, screened))
    return revision


def submit(org, by, text: str) -> GuideRevision:
    """提交审核: the text becomes the org's revision awaiting a leader. Blocking findings refuse it;
    warnings and external links go to the approver, who must confirm them."""
    if not permissions.can_edit_guide(by, org):
        raise NotAllowed(_("只有本机构的工作人员可以编辑本机构的政府信息公开指南。"))
    text = _clean_text(text)
    screened = screen_guide(text)
    _refuse_blocking(screened)
    live = published_revision(org)
    if text == (live.text if live else ""):
        raise InvalidInput(_("内容与当前公开的指南相同，无须提交。") if text
                           else _("当前公开的已是自动生成的指南，无须提交。"))
    with transaction.atomic():
        revision, old = _write(org, by, text, screened)
        revision.state = next_state(revision.state, GuideAction.SUBMIT)
        revision.submitted_by, revision.submitted_at = by, timezone.now()
        revision.decided_by, revision.decided_at, revision.decision_note = None, None, ""
        revision.save()
        audit.record("guide.submit", revision, actor=by, org_id=org.id,
                     data=_event_data(revision, old or GuideState.DRAFT, revision.state, screened))
        leaders = (User.objects.filter(org=org, is_active=True, role_grants__role__in=permissions.LEADER_ROLES)
                   .exclude(pk=by.pk).distinct())
        held = len(screened.warnings) + len(screened.external_links)
        _notify(leaders, revision, "guide_submitted",
                _("公开指南第%(n)d号修订待审核") % {"n": revision.number},
                _("%(who)s提交；%(held)d处须核实的审查发现。") % {"who": by, "held": held})
    return revision


def _lock_submitted(revision: GuideRevision, action: str) -> tuple[GuideRevision, str, str]:
    revision = GuideRevision.objects.select_for_update().select_related("org").get(pk=revision.pk)
    old = revision.state
    return revision, old, next_state(old, action)


def approve(revision: GuideRevision, by, note: str = "", *, links_verified: bool = False,
            warnings_checked: bool = False) -> GuideRevision:
    """批准发布: screened again (the word list may have changed); blocking findings refuse it,
    warnings and external links need the approver's explicit confirmation. The public page shows
    this revision from the same transaction on."""
    if not permissions.is_org_leader(by, revision.org):
        raise NotAllowed(_("只有本机构的主要领导或分管领导可以批准公开指南。"))
    if not permissions.can_decide_guide(by, revision):
        raise NotAllowed(_("您起草或提交了这次修订，须由本机构其他主要领导或分管领导审核。"))
    note = _clean_note(note)
    screened = screen_guide(revision.text)
    _refuse_blocking(screened)
    unconfirmed, details = [], []
    if screened.warnings and not warnings_checked:
        unconfirmed.append(_("“审查警告已核实”"))
        details += describe(screened.warnings)
    if screened.external_links and not links_verified:  # links outside this site and .gov.cn
        unconfirmed.append(_("“外部链接已核实”"))
        details += describe(screened.external_links)
    if unconfirmed:
        raise ServiceError(_("请逐条核实下列审查发现并勾选%(what)s后再批准，或退回修改：")
                           % {"what": "、".join(unconfirmed)}, details=details)
    screened_hash = revision.sha256
    with transaction.atomic():
        revision, old, new = _lock_submitted(revision, GuideAction.APPROVE)
        if revision.sha256 != screened_hash:  # the state table freezes a submitted text; be sure anyway
            raise IllegalTransition(_("修订内容在审核期间发生了变化，请刷新后重新审核。"))
        revision.state, revision.decided_by, revision.decided_at = new, by, timezone.now()
        revision.decision_note, revision.findings = note, screened.findings
        revision.links_verified = bool(screened.external_links)
        revision.warnings_checked = bool(screened.warnings)
        revision.save()
        audit.record("guide.approve", revision, actor=by, org_id=revision.org_id, data=_event_data(
            revision, old, new, screened, note=note, links_verified=revision.links_verified,
            warnings_checked=revision.warnings_checked, submitted_by=revision.submitted_by_id))
        _notify(_people(revision), revision, "guide_approved",
                _("公开指南第%(n)d号修订已批准发布") % {"n": revision.number}, note)
    return revision


def return_revision(revision: GuideRevision, by, note: str) -> GuideRevision:
    """退回修改: the revision stays in the history; the writer starts a new one from its text."""
    if not permissions.is_org_leader(by, revision.org):
        raise NotAllowed(_("只有本机构的主要领导或分管领导可以退回公开指南修订。"))
    if not permissions.can_decide_guide(by, revision):
        raise NotAllowed(_("您起草或提交了这次修订，须由本机构其他主要领导或分管领导审核。"))
    note = _clean_note(note)
    if not note:
        raise InvalidInput(_("退回须填写理由。"))
    with transaction.atomic():
        revision, old, new = _lock_submitted(revision, GuideAction.RETURN)
        screened = GuideScreening(revision.findings)
        revision.state, revision.decided_by, revision.decided_at, revision.decision_note = new, by, timezone.now(), note
        revision.save()
        audit.record("guide.return", revision, actor=by, org_id=revision.org_id, data=_event_data(
            revision, old, new, screened, note=note, submitted_by=revision.submitted_by_id))
        _notify(_people(revision), revision, "guide_returned",
                _("公开指南第%(n)d号修订被退回") % {"n": revision.number}, note)
    return revision


def _people(revision: GuideRevision) -> list:
    """Who hears of a decision: the submitter and the writer."""
    ids = {revision.submitted_by_id, revision.author_id} - {None}
    return list(User.objects.filter(pk__in=ids, is_active=True))
