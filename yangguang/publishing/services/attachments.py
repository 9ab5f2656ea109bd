"""Reading an attachment's text outside the web request (issue #15 item 2: "a hostile file never
costs a web worker more than a second").

`add_attachment` (content.py) gives the parser EXTRACT_INLINE_SECONDS; a file it has not read by
then is stored 读取审查中 and :func:`read_pending` runs in the task worker with the full limits
(extract_limits: 60 s, 1 GB, in a child process). Screening needs the text, so an edition with a
pending or refused attachment cannot be submitted or approved (:func:`require_read`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit, uploads
from yangguang.core.errors import ServiceError

from ..models import Attachment, Edition
from .common import content_hash
from .screening import rescreen

State = Attachment.TextState


def storage_dir():
    """Where attachment bytes are kept (private: served only through the document pages)."""
    return uploads.private_dir("attachments")


def stored_path(att: Attachment):
    return storage_dir() / att.stored_name


def enqueue_read(att: Attachment) -> None:
    """After the upload's transaction commits, let the task worker read the file."""
    from ..tasks import read_attachment_task

    transaction.on_commit(lambda: read_attachment_task.enqueue(att.pk))


def read_pending(att_id: int) -> str:
    """Read one pending attachment (task worker): its text stored and the edition rescreened, or
    the attachment marked 未通过 with the reason and the uploader told. Idempotent."""
    att = Attachment.objects.filter(pk=att_id).select_related("edition__document").first()
    if att is None or att.text_state != State.PENDING:
        return "skipped"
    text, refusal = uploads.read_stored(stored_path(att), att.original_name)  # under the full limits
    with transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=att_id, text_state=State.PENDING).first()
        if att is None:  # removed, or read by another worker meanwhile
            return "skipped"
        edition = Edition.objects.select_for_update().select_related("document").get(pk=att.edition_id)
        att.text, att.refusal = text, refusal
        att.text_state = State.REFUSED if refusal else State.READY
        att.save(update_fields=["text", "refusal", "text_state"])
        edition.content_hash = content_hash(edition)
        edition.save(update_fields=["content_hash", "updated_at"])
        rescreen(edition)
        org_id = edition.document.org_id
        audit.record("attachment.read", att, org_id=org_id, data={
            "edition": edition.pk, "name": att.original_name, "sha256": att.sha256, "state": att.text_state,
            "refusal": refusal, "chars": len(text),
        })
        if refusal and att.uploaded_by_id:
            _notify_refused(att, edition)
    return att.text_state


def _notify_refused(att: Attachment, edition: Edition) -> None:
    from django.urls import reverse

    from yangguang.core.models import Notification

    Notification.objects.bulk_create([Notification(
        user_id=att.uploaded_by_id, kind="attachment_refused",
        title=(_("附件未通过：%(name)s") % {"name": att.original_name})[:200],
        body=att.refusal, url=reverse("workbench:edition", args=[edition.pk]),
        object_type="publishing.attachment", object_id=str(att.pk), dedupe_key=f"attachment_refused:{att.pk}",
    )], ignore_conflicts=True)


def require_read(edition: Edition) -> None:
    """Refuse a review step while an attachment's text is unread or was refused."""
    for name, state, refusal in edition.attachments.exclude(text_state=State.READY).values_list(
            "original_name", "text_state", "refusal"):
        if state == State.PENDING:
            raise ServiceError(_("附件“%(name)s”正在读取和审查，请稍后再试（通常在一分钟内完成）。") % {"name": name})
        raise ServiceError(_("附件“%(name)s”未通过：%(reason)s。请删除该附件后重新上传。") % {"name": name, "reason": refusal})
