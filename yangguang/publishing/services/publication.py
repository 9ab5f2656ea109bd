"""Going live: 索引号 allocation, publication, scheduling, urgent publish, withdrawal."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit, search
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError
from yangguang.core.sequences import next_serial
from yangguang.core.text import clean_multiline
from yangguang.orgs import permissions
from yangguang.orgs.models import User

from .. import listing
from ..models import Column, Document, Edition, IndexCounter, WithdrawalRequest
from ..models.withdrawal import WithdrawalAction
from ..models.withdrawal import next_state as next_withdrawal_state
from ..workflow import Action, State, transition
from .common import content_hash, html_to_text, sanitize_body
from .screening import open_problems

log = logging.getLogger(__name__)


def format_index_number(org_code: str, year: int, serial: int) -> str:
    """spec/publishing.md: <统一社会信用代码>/<年份>-<5位流水号>."""
    return f"{org_code}/{year}-{serial:05d}"


def allocate_index_number(org, year: int) -> tuple[str, int]:
    """Next serial of `org` in `year`. Row-locked, so concurrent publications on PostgreSQL
    never get the same serial; a serial handed out is never handed out again."""
    serial = next_serial(IndexCounter, org=org, year=year)
    return format_index_number(org.code, year, serial), serial


def _go_live(edition: Edition, by, action: str, now: datetime | None = None, event: dict | None = None) -> Edition:
    """Make `edition` the live one (inside the caller's transaction); `event`: more data for the
    `edition.publish` audit event (the publication register)."""
    now = now or timezone.now()
    doc = Document.objects.select_for_update().get(pk=edition.document_id)
    if doc.withdrawn_at or doc.removed_at:
        raise IllegalTransition(_("文件已撤回或下架，不能再发布。"))
    old, new = transition(edition, action)
    previous = doc.live_edition
    if previous is not None:
        transition(previous, Action.SUPERSEDE)
        previous.save(update_fields=["state", "updated_at"])
    if doc.index_number is None:
        year = timezone.localtime(now).year
        doc.index_number, doc.index_serial = allocate_index_number(doc.org, year)
        doc.index_year = year
        doc.first_published_at = now
    if not edition.published_date:
        if previous is not None and previous.published_date:
            edition.published_date = previous.published_date  # 发布日期 stays; 更新日期 is published_at
        else:
            edition.published_date = timezone.localtime(now).date()
    edition.published_at = now
    edition.save()
    doc.live_edition = edition
    doc.last_published_at = now
    doc.save()
    search.index_document(doc)  # the index outbox row, in this transaction: applied after the commit
    listing.public_change(doc)
    audit.record("edition.publish", edition, actor=by, org_id=doc.org_id, data={
        "document": doc.pk, "from": old, "to": new, "index_number": doc.index_number,
        "edition": edition.number, "title": edition.title, "content_hash": edition.content_hash,
        "change_kind": edition.change_kind, "urgent": action == Action.URGENT_PUBLISH, **(event or {}),
    })
    return edition


def publish_generated(column: Column, by, fields: dict, *, source: str, document: Document | None = None,
                      at: datetime | None = None) -> Edition:
    """Publish a document the system generated from a record signed off elsewhere (the annual
    report's version: ``reports.catalog``), inside the caller's transaction.

    Permission: a leader of the column's org (``permissions.can_publish_generated``); the leader's sign-off
    of the source record stands in for the review chain, so the edition is created 已审定 and goes
    live at once (索引号, search index, column listing). ``document``: the document an earlier
    generation published — the new text becomes its next edition (实质修改), unless it was withdrawn
    or removed, when a new document starts. ``fields``: title, topic, genre, written_date, info_date,
    body (HTML, sanitised here), change_note. The audit event is the publication register's
    ``edition.publish``, marked ``generated_from: source`` (e.g. ``reports.reportversion:12``).
    """
    if not permissions.can_publish_generated(by, column.org):
        raise NotAllowed(_("只有本机构的主要领导或分管领导可以发布系统生成的文件。"))
    if document is not None and (document.withdrawn_at or document.removed_at):
        document = None  # withdrawn or removed from the catalog: published again as a new document
    if document is None:
        document = Document.objects.create(org_id=column.org_id, column=column, created_by=by)
        number = 1
    else:
        number = (document.editions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    body = sanitize_body(fields.get("body", ""))
    edition = Edition(
        document=document, number=number, state=State.APPROVED, title=fields["title"][:300],
        topic=fields["topic"], genre=fields["genre"], written_date=fields.get("written_date"),
        info_date=fields.get("info_date"), body=body, body_text=html_to_text(body), author=by,
        change_kind=Edition.ChangeKind.MAJOR if number > 1 else "", change_note=fields.get("change_note", "")[:300],
    )
    edition.save()
    edition.content_hash = content_hash(edition)
    edition.save(update_fields=["content_hash"])
    _go_live(edition, by, Action.PUBLISH, at, event={"generated_from": source})
    edition.document.refresh_from_db()  # live now: 索引号, live edition
    return edition


def go_live_or_schedule(edition: Edition, by) -> Edition:
    """After the final approval: publish now, or wait for the scheduled time."""
    if edition.scheduled_at and edition.scheduled_at > timezone.now():
        old, new = transition(edition, Action.SCHEDULE)
        edition.save(update_fields=["state", "updated_at"])
        audit.record("edition.schedule", edition, actor=by, org_id=edition.document.org_id, data={
            "document": edition.document_id, "from": old, "to": new, "scheduled_at": edition.scheduled_at,
        })
        return edition
    return _go_live(edition, by, Action.PUBLISH)


def publish_due(now: datetime | None = None) -> int:
    """Publish every scheduled edition whose time has come. Safe to run twice or concurrently."""
    now = now or timezone.now()
    done = 0
    due = Edition.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                edition = Edition.objects.select_for_update().filter(pk=pk, state=State.SCHEDULED).first()
                if edition is None:
                    continue
                _go_live(edition, None, Action.PUBLISH, now)
                done += 1
        except ServiceError as exc:
            log.warning("定时发布失败 edition=%s: %s", pk, exc)
    return done


def unschedule(edition: Edition, by) -> Edition:
    if not permissions.can_unschedule(by, edition):
        raise NotAllowed(_("无权取消定时发布。"))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        old, new = transition(edition, Action.UNSCHEDULE)
        edition.scheduled_at = None
        edition.save(update_fields=["state", "scheduled_at", "updated_at"])
        audit.record("edition.unschedule", edition, actor=by, org_id=edition.document.org_id,
                     data={"document": edition.document_id, "from": old, "to": new})
    return edition


def urgent_publish(edition: Edition, by, reason: str) -> Edition:
    """紧急发布: skips the chain for holders of the right; lands in the retrospective-review queue.
    Screening still applies: blocking findings stop it, warnings must be accepted."""
    reason = (reason or "").strip()
    if not permissions.can_urgent_publish(by, edition.document.org):
        raise NotAllowed(_("您没有紧急发布权限。"))
    if not reason:
        raise InvalidInput(_("紧急发布须填写理由。"))
    from .review import rescreen_locked, screen_before_lock

    screened = screen_before_lock(edition)  # screening outside the write transaction (see review.py)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        blocking, warnings = open_problems(rescreen_locked(edition, screened))
        if blocking:
            raise ServiceError(_("文件有%(n)d处阻断性审查发现，不能发布。") % {"n": blocking})
        if warnings:
            raise ServiceError(_("还有%(n)d处警告性审查发现未确认，请先逐条确认理由。") % {"n": warnings})
        edition.urgent_reason = reason
        _go_live(edition, by, Action.URGENT_PUBLISH)
        Document.objects.filter(pk=edition.document_id).update(retro_review_pending=True)
    return edition


def complete_retro_review(document: Document, by, comment: str = "") -> Document:
    """The last reviewer of the chain reviews an urgently published document afterwards."""
    if not permissions.can_retro_review(by, document):
        raise NotAllowed(_("只有审核流程最后一级的审核人可以完成事后审核。"))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if not document.retro_review_pending:
            raise IllegalTransition(_("该文件不在事后审核队列中。"))
        document.retro_review_pending = False
        document.save(update_fields=["retro_review_pending"])
        audit.record("document.retro_review", document, actor=by, org_id=document.org_id, data={"comment": comment})
    return document


# --- 撤回: requested by the org's staff, approved by a leader ------------------------------------

MIN_EXPLANATION_CHARS = 5


def pending_withdrawal(document: Document) -> WithdrawalRequest | None:
    return (document.withdrawal_requests.filter(state=WithdrawalRequest.State.PENDING)
            .select_related("requested_by").first())


def _explanation(text: str) -> str:
    text = clean_multiline(text)
    if len(text) < MIN_EXPLANATION_CHARS:
        raise InvalidInput(_("撤回须填写向公众公开的撤回说明（至少%(n)d个字）。") % {"n": MIN_EXPLANATION_CHARS})
    return text


def _check_withdrawable(document: Document) -> Document:
    if document.withdrawn_at or document.removed_at or document.live_edition_id is None:
        raise IllegalTransition(_("只有已发布且未撤回、未下架的文件可以撤回。"))
    return document


def _lock_withdrawable(document: Document) -> Document:
    return _check_withdrawable(Document.objects.select_for_update().select_related("org").get(pk=document.pk))


def _take_down(document: Document, explanation: str) -> tuple[str, str]:
    """The public effects of a withdrawal (inside the caller's transaction)."""
    live = document.live_edition
    old, new = transition(live, Action.WITHDRAW)
    live.save(update_fields=["state", "updated_at"])
    document.withdrawn_at = timezone.now()
    document.withdrawal_explanation = explanation
    document.save(update_fields=["withdrawn_at", "withdrawal_explanation"])
    search.unindex_document(document)
    listing.public_change(document)
    return old, new


def _notify(users, ask: WithdrawalRequest, kind: str, title: str, body: str) -> None:
    from django.urls import reverse

    from yangguang.core.models import Notification

    url = reverse("workbench:edition", args=[ask.document.live_edition_id]) if ask.document.live_edition_id else ""
    Notification.objects.bulk_create([
        Notification(user=u, kind=kind, title=title[:200], body=body, url=url,
                     object_type="publishing.withdrawalrequest", object_id=str(ask.pk),
                     dedupe_key=f"{kind}:{ask.pk}:{u.pk}")
        for u in users
    ], ignore_conflicts=True)


def request_withdrawal(document: Document, by, explanation: str) -> WithdrawalRequest:
    """申请撤回: files the request with its public explanation; a leader of the org decides."""
    if not permissions.can_request_withdrawal(by, document):
        raise NotAllowed(_("只有本机构具有发布权限的工作人员可以申请撤回该文件。"))
    explanation = _explanation(explanation)
    with transaction.atomic():
        document = _lock_withdrawable(document)
        if document.withdrawal_requests.filter(state=WithdrawalRequest.State.PENDING).exists():
            raise IllegalTransition(_("该文件已有待审批的撤回申请，请等待主要领导或分管领导审批。"))
        ask = WithdrawalRequest.objects.create(document=document, requested_by=by, explanation=explanation)
        title = document.live_edition.title
        audit.record("withdrawal.request", document, actor=by, org_id=document.org_id, data={
            "request": ask.pk, "index_number": document.index_number, "explanation": explanation,
        })
        leaders = User.objects.filter(org=document.org, is_active=True,
                                      role_grants__role__in=permissions.LEADER_ROLES).distinct()
        _notify([u for u in leaders if u.pk != by.pk], ask, "withdrawal_request",
                _("撤回申请待审批：%(title)s") % {"title": title}, explanation)
    return ask


def approve_withdrawal(ask: WithdrawalRequest, by, comment: str = "") -> Document:
    """批准撤回: the document is withdrawn exactly as a direct withdrawal would."""
    document = ask.document
    if not permissions.can_decide_withdrawal(by, document):
        raise NotAllowed(_("只有本机构的主要领导或分管领导可以批准撤回。"))
    comment = clean_multiline(comment)
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("org").get(pk=document.pk)
        ask = WithdrawalRequest.objects.select_for_update().get(pk=ask.pk)
        ask.state = next_withdrawal_state(ask.state, WithdrawalAction.APPROVE)
        _check_withdrawable(document)
        old, new = _take_down(document, ask.explanation)
        ask.decided_by, ask.decided_at, ask.decision_comment = by, timezone.now(), comment
        ask.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
        audit.record("document.withdraw", document, actor=by, org_id=document.org_id, data={
            "from": old, "to": new, "index_number": document.index_number, "explanation": ask.explanation,
            "request": ask.pk, "requested_by": ask.requested_by_id, "comment": comment, "direct": False,
        })
        _notify([ask.requested_by], ask, "withdrawal_approved",
                _("撤回申请已批准：%(title)s") % {"title": document.live_edition.title}, comment)
    return document


def refuse_withdrawal(ask: WithdrawalRequest, by, reason: str) -> WithdrawalRequest:
    """驳回撤回申请: the document stays published; the reason goes to the requester."""
    if not permissions.can_decide_withdrawal(by, ask.document):
        raise NotAllowed(_("只有本机构的主要领导或分管领导可以驳回撤回申请。"))
    reason = clean_multiline(reason)
    if not reason:
        raise InvalidInput(_("驳回撤回申请须填写理由。"))
    with transaction.atomic():
        ask = WithdrawalRequest.objects.select_for_update().select_related("document").get(pk=ask.pk)
        ask.state = next_withdrawal_state(ask.state, WithdrawalAction.REFUSE)
        ask.decided_by, ask.decided_at, ask.decision_comment = by, timezone.now(), reason
        ask.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
        document = ask.document
        audit.record("withdrawal.refuse", document, actor=by, org_id=document.org_id, data={
            "request": ask.pk, "requested_by": ask.requested_by_id, "reason": reason,
        })
        title = document.live_edition.title if document.live_edition_id else str(document)
        _notify([ask.requested_by], ask, "withdrawal_refused", _("撤回申请被驳回：%(title)s") % {"title": title}, reason)
    return ask


def withdraw(document: Document, by, explanation: str) -> Document:
    """撤回 by a leader directly: request and approval in one step, audited as such. The page keeps
    its 索引号 and shows the public explanation instead of the content."""
    if not permissions.can_decide_withdrawal(by, document):
        raise NotAllowed(_("撤回已发布的文件须经本机构主要领导或分管领导批准；请提交撤回申请。"))
    explanation = _explanation(explanation)
    with transaction.atomic():
        document = _lock_withdrawable(document)
        if document.withdrawal_requests.filter(state=WithdrawalRequest.State.PENDING).exists():
            raise IllegalTransition(_("该文件已有待审批的撤回申请，请直接批准或驳回该申请。"))
        now = timezone.now()
        ask = WithdrawalRequest.objects.create(
            document=document, requested_by=by, explanation=explanation, direct=True, requested_at=now,
            state=next_withdrawal_state(WithdrawalRequest.State.PENDING, WithdrawalAction.APPROVE),
            decided_by=by, decided_at=now,
        )
        old, new = _take_down(document, explanation)
        audit.record("document.withdraw", document, actor=by, org_id=document.org_id, data={
            "from": old, "to": new, "index_number": document.index_number, "explanation": explanation,
            "request": ask.pk, "requested_by": by.pk, "direct": True,
        })
    return document


def remove_document(document: Document, by, reason: str) -> Document:
    """下架: removal from the site entirely, by the 政务公开办 of the region, with an audit record."""
    reason = (reason or "").strip()
    if not permissions.can_remove_document(by, document):
        raise NotAllowed(_("只有本地区政务公开办可以下架文件。"))
    if not reason:
        raise InvalidInput(_("下架须填写理由。"))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.removed_at:
            raise IllegalTransition(_("文件已下架。"))
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at"])
        search.unindex_document(document)
        listing.public_change(document)
        audit.record("document.remove", document, actor=by, org_id=document.org_id,
                     data={"index_number": document.index_number, "reason": reason})
    return document
