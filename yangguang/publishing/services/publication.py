"""Going live: 索引号 allocation, publication, scheduling, urgent publish, withdrawal."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from yangguang.core import audit, search
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError
from yangguang.core.sequences import next_serial
from yangguang.orgs.roles import Role
from yangguang.orgs.scoping import can_act_in_org

from .. import listing
from ..models import Document, Edition, IndexCounter
from ..workflow import Action, State, transition
from .screening import open_problems, rescreen

log = logging.getLogger(__name__)


def format_index_number(org_code: str, year: int, serial: int) -> str:
    """spec/publishing.md: <统一社会信用代码>/<年份>-<5位流水号>."""
    return f"{org_code}/{year}-{serial:05d}"


def allocate_index_number(org, year: int) -> tuple[str, int]:
    """Next serial of `org` in `year`. Row-locked, so concurrent publications on PostgreSQL
    never get the same serial; a serial handed out is never handed out again."""
    serial = next_serial(IndexCounter, org=org, year=year)
    return format_index_number(org.code, year, serial), serial


def _go_live(edition: Edition, by, action: str, now: datetime | None = None) -> Edition:
    """Make `edition` the live one (inside the caller's transaction)."""
    now = now or timezone.now()
    doc = Document.objects.select_for_update().get(pk=edition.document_id)
    if doc.withdrawn_at or doc.removed_at:
        raise IllegalTransition("文件已撤回或下架，不能再发布。")
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
    search.index_document(doc)  # same transaction: the new text is searchable exactly when live
    listing.public_change(doc)
    audit.record("edition.publish", edition, actor=by, org_id=doc.org_id, data={
        "document": doc.pk, "from": old, "to": new, "index_number": doc.index_number,
        "edition": edition.number, "title": edition.title, "content_hash": edition.content_hash,
        "change_kind": edition.change_kind, "urgent": action == Action.URGENT_PUBLISH,
    })
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
    if not (can_act_in_org(by, edition.document.org) and (by.has_role(Role.CLERK) or by.has_role(Role.PRINCIPAL))):
        raise NotAllowed("无权取消定时发布。")
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
    if not (can_act_in_org(by, edition.document.org) and by.has_role(Role.URGENT)):
        raise NotAllowed("您没有紧急发布权限。")
    if not reason:
        raise InvalidInput("紧急发布须填写理由。")
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        blocking, warnings = open_problems(rescreen(edition))
        if blocking:
            raise ServiceError(f"文件有{blocking}处阻断性审查发现，不能发布。")
        if warnings:
            raise ServiceError(f"还有{warnings}处警告性审查发现未确认，请先逐条确认理由。")
        edition.urgent_reason = reason
        _go_live(edition, by, Action.URGENT_PUBLISH)
        Document.objects.filter(pk=edition.document_id).update(retro_review_pending=True)
    return edition


def complete_retro_review(document: Document, by, comment: str = "") -> Document:
    """The last reviewer of the chain reviews an urgently published document afterwards."""
    from .review import chain_of

    final_role = chain_of(document.org)[-1]
    if not (can_act_in_org(by, document.org) and by.has_role(final_role)):
        raise NotAllowed("只有审核流程最后一级的审核人可以完成事后审核。")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if not document.retro_review_pending:
            raise IllegalTransition("该文件不在事后审核队列中。")
        document.retro_review_pending = False
        document.save(update_fields=["retro_review_pending"])
        audit.record("document.retro_review", document, actor=by, org_id=document.org_id, data={"comment": comment})
    return document


def withdraw(document: Document, by, explanation: str) -> Document:
    """撤回: the page keeps its 索引号 and shows the public explanation instead of the content."""
    explanation = (explanation or "").strip()
    if not (can_act_in_org(by, document.org) and (by.has_role(Role.CLERK) or by.has_role(Role.PRINCIPAL))):
        raise NotAllowed("无权撤回该文件。")
    if len(explanation) < 5:
        raise InvalidInput("撤回须填写向公众公开的撤回说明（至少5个字）。")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.withdrawn_at or document.live_edition_id is None:
            raise IllegalTransition("只有已发布且未撤回的文件可以撤回。")
        live = document.live_edition
        old, new = transition(live, Action.WITHDRAW)
        live.save(update_fields=["state", "updated_at"])
        document.withdrawn_at = timezone.now()
        document.withdrawal_explanation = explanation
        document.save(update_fields=["withdrawn_at", "withdrawal_explanation"])
        search.unindex_document(document)
        listing.public_change(document)
        audit.record("document.withdraw", document, actor=by, org_id=document.org_id, data={
            "from": old, "to": new, "index_number": document.index_number, "explanation": explanation,
        })
    return document


def remove_document(document: Document, by, reason: str) -> Document:
    """下架: removal from the site entirely, by the 政务公开办 of the region, with an audit record."""
    reason = (reason or "").strip()
    if not (by.has_role(Role.SUPERVISOR) and by.org is not None and document.org.path.startswith(by.org.path)):
        raise NotAllowed("只有本地区政务公开办可以下架文件。")
    if not reason:
        raise InvalidInput("下架须填写理由。")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.removed_at:
            raise IllegalTransition("文件已下架。")
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at"])
        search.unindex_document(document)
        listing.public_change(document)
        audit.record("document.remove", document, actor=by, org_id=document.org_id,
                     data={"index_number": document.index_number, "reason": reason})
    return document
