"""Drafting: create and edit editions, attachments, interpretation links."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit, extract, uploads
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.text import clean_fields

from .. import listing
from ..models import Attachment, Column, Document, Edition
from ..workflow import EDITABLE_STATES, OPEN_STATES, Action, State, transition
from .attachments import enqueue_read, storage_dir, stored_path
from .common import (
    EDITABLE_FIELDS,
    check_column,
    check_fields,
    check_interpretation,
    content_hash,
    html_to_text,
    require_clerk,
    sanitize_body,
)
from .screening import rescreen

# Fields that keep their lines; every other text field is one line (core/text.py).
MULTILINE_FIELDS = ("body", "change_note")


def _clean(fields: dict) -> dict:
    """The same text hygiene as every service: controls, bidi overrides, noncharacters out; NFC."""
    return clean_fields(fields, multiline=MULTILINE_FIELDS)


def _apply(edition: Edition, fields: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            value = fields[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(edition, name, value)
    edition.body = sanitize_body(edition.body)
    edition.body_text = html_to_text(edition.body)


def create_draft(by, column: Column, fields: dict) -> Edition:
    """信息员 starts a new document in one of the org's columns."""
    org = by.org
    require_clerk(by, org)
    check_column(column, org)
    fields = _clean(fields)
    check_fields(fields, org, edition_number=1)
    with transaction.atomic():
        doc = Document.objects.create(org=org, column=column, created_by=by)
        edition = Edition(document=doc, number=1, author=by)
        _apply(edition, fields)
        edition.content_hash = content_hash(edition)
        edition.save()
        rescreen(edition)
        audit.record("document.create", doc, actor=by, org_id=org.id,
                     data={"edition": edition.number, "title": edition.title, "content_hash": edition.content_hash})
    return edition


def update_draft(edition: Edition, by, fields: dict, column: Column | None = None) -> Edition:
    doc = edition.document
    require_clerk(by, doc.org)
    if edition.state not in EDITABLE_STATES:
        raise IllegalTransition(_("处于“%(state)s”状态的文件不能修改。") % {"state": State(edition.state).label})
    fields = _clean(fields)
    check_fields({**_current(edition), **fields}, doc.org, edition_number=edition.number)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.state not in EDITABLE_STATES:
            raise IllegalTransition(_("文件状态已变化，请刷新后再试。"))
        if column is not None and column.pk != doc.column_id:
            check_column(column, doc.org)
            if doc.live_edition_id:
                raise InvalidInput(_("已发布文件的栏目不能在新版本中更改。"))
            doc.column = column
            doc.save(update_fields=["column"])
        _apply(edition, fields)
        edition.content_hash = content_hash(edition)
        edition.save()
        rescreen(edition)
        audit.record("edition.update", edition, actor=by, org_id=doc.org_id,
                     data={"document": doc.pk, "edition": edition.number, "content_hash": edition.content_hash})
    return edition


def _current(edition: Edition) -> dict:
    return {name: getattr(edition, name) for name in EDITABLE_FIELDS}


def start_new_edition(document: Document, by) -> Edition:
    """Edit a published document: a new draft edition; the live one stays until this is published."""
    require_clerk(by, document.org)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.live_edition_id is None or document.withdrawn_at or document.removed_at:
            raise IllegalTransition(_("只有已发布且未撤回的文件可以修改出新版本。"))
        pending = document.editions.filter(state__in=OPEN_STATES).first()
        if pending is not None:
            raise IllegalTransition(_("该文件已有一个未完成的新版本（第%(n)d版，%(state)s）。")
                                    % {"n": pending.number, "state": pending.get_state_display()})
        live = document.live_edition
        number = document.editions.order_by("-number").values_list("number", flat=True).first() + 1
        edition = Edition(document=document, number=number, author=by)
        for name in EDITABLE_FIELDS:
            setattr(edition, name, getattr(live, name))
        edition.body_text = live.body_text
        edition.scheduled_at = None
        edition.change_kind, edition.change_note = "", ""
        edition.save()
        for att in live.attachments.all():
            # Same stored bytes, a new public id: the old URL keeps pointing at the live edition.
            Attachment.objects.create(
                edition=edition, original_name=att.original_name, stored_name=att.stored_name,
                content_type=att.content_type, type_label=att.type_label, size=att.size, sha256=att.sha256,
                text=att.text, uploaded_by=att.uploaded_by,
            )
        edition.content_hash = content_hash(edition)
        edition.save(update_fields=["content_hash"])
        rescreen(edition)
        audit.record("edition.create", edition, actor=by, org_id=document.org_id,
                     data={"document": document.pk, "edition": number, "from_edition": live.number})
    return edition


def discard_draft(edition: Edition, by, reason: str = "") -> Edition:
    require_clerk(by, edition.document.org)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        old, new = transition(edition, Action.DISCARD)
        edition.save(update_fields=["state", "updated_at"])
        audit.record("edition.discard", edition, actor=by, org_id=edition.document.org_id,
                     data={"from": old, "to": new, "reason": reason})
    return edition


def read_stored(attachment: Attachment) -> bytes:
    return stored_path(attachment).read_bytes()


def add_attachment(edition: Edition, by, filename: str, data: bytes) -> Attachment:
    """Sniff, extract (core/uploads.py), store under a random name, rescreen. Refused files raise InvalidInput."""
    require_clerk(by, edition.document.org)
    if edition.state not in EDITABLE_STATES:
        raise IllegalTransition(_("只有草稿或退回修改中的文件可以添加附件。"))
    try:
        upload = uploads.read_upload(data, filename, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except extract.RefusedFile as exc:
        raise InvalidInput(_("附件“%(name)s”未能上传：%(reason)s") % {"name": filename, "reason": exc.message}) from exc
    # not read within the inline second: the task worker reads it (attachments.py)
    state = Attachment.TextState.PENDING if upload.pending else Attachment.TextState.READY
    stored_name = uploads.store(storage_dir(), data)
    path = storage_dir() / stored_name
    try:
        with transaction.atomic():
            att = Attachment.objects.create(
                edition=edition, original_name=filename[:255], stored_name=stored_name,
                content_type=upload.kind.content_type, type_label=upload.kind.label, size=upload.size,
                sha256=upload.sha256, text=upload.text, text_state=state, uploaded_by=by,
            )
            if state == Attachment.TextState.PENDING:
                enqueue_read(att)
            edition.content_hash = content_hash(edition)
            edition.save(update_fields=["content_hash", "updated_at"])
            rescreen(edition)
            audit.record("attachment.add", att, actor=by, org_id=edition.document.org_id,
                         data={"edition": edition.pk, "name": att.original_name, "sha256": att.sha256, "size": att.size,
                               "text_state": state})
    except Exception:
        path.unlink(missing_ok=True)  # nothing half-written: no orphan file without its row
        raise
    return att


def remove_attachment(attachment: Attachment, by) -> None:
    edition = attachment.edition
    require_clerk(by, edition.document.org)
    if edition.state not in EDITABLE_STATES:
        raise IllegalTransition(_("只有草稿或退回修改中的文件可以删除附件。"))
    with transaction.atomic():
        data = {"edition": edition.pk, "name": attachment.original_name, "sha256": attachment.sha256}
        audit.record("attachment.remove", attachment, actor=by, org_id=edition.document.org_id, data=data)
        attachment.delete()
        edition.content_hash = content_hash(edition)
        edition.save(update_fields=["content_hash", "updated_at"])
        rescreen(edition)


def link_interpretation(interpretation: Document, policy: Document | None, form: str, by) -> Document:
    """政策解读 ↔ 政策文件. The policy must be public or belong to the same org."""
    require_clerk(by, interpretation.org)
    check_interpretation(form)
    if policy is not None:
        if policy.pk == interpretation.pk:
            raise InvalidInput(_("文件不能解读它自己。"))
        if policy.org_id != interpretation.org_id and not policy.is_public:
            raise NotAllowed(_("只能关联已公开的政策文件或本机构的文件。"))
        if not form:
            raise InvalidInput(_("请选择解读形式。"))
    with transaction.atomic():
        old_policy = interpretation.interpretation_of_id
        interpretation.interpretation_of = policy
        interpretation.interpretation_form = form if policy else ""
        interpretation.save(update_fields=["interpretation_of", "interpretation_form"])
        # the pages of both policies and of the interpretation show the link
        listing.bump_documents([interpretation.pk, old_policy, policy.pk if policy else None])
        audit.record("document.link_interpretation", interpretation, actor=by, org_id=interpretation.org_id,
                     data={"policy": policy.pk if policy else None, "form": form})
    return interpretation
