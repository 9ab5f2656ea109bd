"""答复办结 (条例第36条、第37条) and the information released with it (issue #14: a reply that delivers).

- ``add_reply_file`` / ``remove_reply_file``: before replying, the handler attaches the released
  information. Each file is read and screened like a publication attachment (core/uploads.py,
  core/screening.py): refused by content, refused on a blocking finding (ID or bank card number,
  secrecy marking), warnings kept for the handler to check; a file the upload cannot read within
  its second is read by the task worker (``read_reply_file``).
- ``check_reply``: the reply's input checked without changing anything; ``preview`` is the letter
  it will issue (the confirmation page shows it before the case closes).
- ``reply``: closes the case and issues the 答复书 (or 不予处理告知书) in one transaction with one
  audit event naming the letter and the files (their SHA-256); the files are fixed from then on
  and the applicant downloads them from the status page.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit, extract, screening, uploads
from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.core.exports.letters import LetterContent
from yangguang.core.text import clean_text

from .. import law, letters
from ..models import Application, Letter, ReplyFile
from ..workflow import OPEN_STATES, TRANSITIONS, Action, next_state
from .common import check_clock_date, lock, move, require, text

FOLDER = "replies"  # under PRIVATE_STORAGE_DIR
MAX_REASON = 2000
FileState = ReplyFile.TextState


@dataclass(frozen=True)
class ReplyDraft:
    """A checked reply, not yet given."""

    reply_type: str
    outcome: str
    on: date
    reason: str
    published_document: object | None
    letter_kind: str  # the letter the reply issues
    backdate_reason: str = ""  # why a reply date before today is entered late (补录理由)


def letter_kind_for(reply_type: str) -> str:
    return Letter.Kind.REFUSE_TO_HANDLE if reply_type == law.REFUSE_TO_HANDLE else Letter.Kind.REPLY


def storage_path(f: ReplyFile):
    return uploads.private_dir(FOLDER) / f.stored_name


# --- the released information ------------------------------------------------------------------


def _screen(text: str) -> tuple[list[str], list[dict]]:
    """(blocking findings as sentences, warnings as stored) of a file's text, masked."""
    blocking, warnings = [], []
    for f in screening.screen_text(text or "", extra_words=screening.configured_sensitive_words()):
        shown = screening.mask_text(f.text)[:60]
        if f.severity == screening.BLOCKING:
            blocking.append(_("%(label)s：%(text)s") % {"label": f.label, "text": shown})
        else:
            warnings.append({"label": f.label, "text": shown})
    return blocking, warnings


def _require_open(app: Application) -> None:
    if app.state not in OPEN_STATES:
        raise IllegalTransition(_("该申请已办结，答复附件不能再更改。"))


def add_reply_file(app: Application, by, filename: str, data: bytes) -> ReplyFile:
    """Attach released information to the coming reply. Refused files raise InvalidInput."""
    require(by, app)
    _require_open(app)
    filename = clean_text(filename) or "file"
    try:
        upload = uploads.read_upload(data, filename, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except extract.RefusedFile as exc:
        raise InvalidInput(_("“%(name)s”未能上传：%(reason)s") % {"name": filename, "reason": exc.message}) from exc
    warnings: list[dict] = []
    if not upload.pending:
        blocking, warnings = _screen(upload.text)
        if blocking:
            raise InvalidInput(_("“%(name)s”含有不得公开的内容，未能上传。请处理后重新上传：") % {"name": filename},
                               details=blocking)
    folder = uploads.private_dir(FOLDER)
    stored = uploads.store(folder, data)
    state = FileState.PENDING if upload.pending else FileState.READY
    try:
        with transaction.atomic():
            app = lock(app)
            _require_open(app)
            f = ReplyFile.objects.create(
                application=app, original_name=filename[:255], stored_name=stored,
                content_type=upload.kind.content_type, type_label=upload.kind.label, size=upload.size,
                sha256=upload.sha256, text_state=state, warnings=warnings, uploaded_by=by)
            if state == FileState.PENDING:
                _enqueue_read(f)
            audit.record("application.reply_file_add", app, actor=by, org_id=app.org_id, data={
                "file": f.pk, "name": f.original_name, "sha256": f.sha256, "size": f.size, "state": state,
                "warnings": len(warnings)})
    except Exception:
        (folder / stored).unlink(missing_ok=True)  # no file without its row
        raise
    return f


def _enqueue_read(f: ReplyFile) -> None:
    from ..tasks import read_reply_file_task

    transaction.on_commit(lambda: read_reply_file_task.enqueue(f.pk))


def remove_reply_file(f: ReplyFile, by) -> None:
    app = f.application
    require(by, app)
    with transaction.atomic():
        app = lock(app)
        _require_open(app)
        audit.record("application.reply_file_remove", app, actor=by, org_id=app.org_id,
                     data={"file": f.pk, "name": f.original_name, "sha256": f.sha256})
        f.delete()
        path = storage_path(f)
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def read_reply_file(file_id: int) -> str:
    """Task worker: read and screen a file the upload could not read in its second — 已审查, or
    未通过 with the reason (and the uploader told). Idempotent."""
    f = ReplyFile.objects.filter(pk=file_id, text_state=FileState.PENDING).first()
    if f is None:
        return "skipped"
    text, refusal = uploads.read_stored(storage_path(f), f.original_name)
    warnings: list[dict] = []
    if not refusal:
        blocking, warnings = _screen(text)
        if blocking:
            refusal = _("含有不得公开的内容（%(items)s）") % {"items": "；".join(blocking)}
    with transaction.atomic():
        f = ReplyFile.objects.select_for_update().filter(pk=file_id, text_state=FileState.PENDING) \
            .select_related("application").first()
        if f is None:  # removed, or read by another worker meanwhile
            return "skipped"
        f.text_state = FileState.REFUSED if refusal else FileState.READY
        f.refusal, f.warnings = refusal, warnings
        f.save(update_fields=["text_state", "refusal", "warnings"])
        app = f.application
        audit.record("application.reply_file_read", app, org_id=app.org_id, data={
            "file": f.pk, "name": f.original_name, "sha256": f.sha256, "state": f.text_state, "refusal": refusal})
        if refusal and f.uploaded_by_id:
            _notify_refused(f)
    return f.text_state


def _notify_refused(f: ReplyFile) -> None:
    from django.urls import reverse

    from yangguang.core.models import Notification

    Notification.objects.bulk_create([Notification(
        user_id=f.uploaded_by_id, kind="reply_file_refused",
        title=(_("答复附件未通过：%(name)s") % {"name": f.original_name})[:200], body=f.refusal,
        url=reverse("applications:detail", args=[f.application_id]),
        object_type="disclosure.replyfile", object_id=str(f.pk), dedupe_key=f"reply_file_refused:{f.pk}",
    )], ignore_conflicts=True)


def files_with_warnings(app: Application) -> list[ReplyFile]:
    return [f for f in app.reply_files.all() if f.warnings]


# --- the reply ----------------------------------------------------------------------------------


def check_reply(app: Application, by, *, reply_type: str, outcome: str, on: date, published_document=None,
                reason: str = "", backdate_reason: str = "") -> ReplyDraft:
    """Everything a reply needs, checked without changing anything. Raises like ``reply``."""
    require(by, app)
    if (app.state, Action.REPLY) not in TRANSITIONS:
        next_state(app.state, Action.REPLY)  # raises the state table's message
    problem = law.check_pair(reply_type, outcome)
    if problem:
        raise InvalidInput(problem)
    reason = text(reason)
    errors: list[str] = []
    files = list(app.reply_files.all())
    if reply_type == law.ReplyType.PUBLISHED and (published_document is None or not published_document.is_public):
        errors.append(_("答复“已经主动公开”须选择一份正在公开的文件，答复书将告知其获取途径。"))
    needed = law.REPLY_TEXT_NEEDED.get(reply_type)
    if needed and not reason and not (files and reply_type in law.REPLY_FILES_SUFFICE):
        errors.append(str(needed))
    if len(reason) > MAX_REASON:
        errors.append(_("答复理由或获取途径不能超过%(n)d个字。") % {"n": MAX_REASON})
    if files and reply_type not in law.REPLY_TYPES_WITH_FILES:
        errors.append(_("只有“可以公开”“部分公开”的答复附送信息；答复类型为“%(type)s”时请先删除答复附件。")
                      % {"type": _type_label(reply_type)})
    for f in files:
        if f.text_state == FileState.PENDING:
            errors.append(_("答复附件“%(name)s”正在读取和审查，请稍后再答复（通常在一分钟内完成）。") % {"name": f.original_name})
        elif f.text_state == FileState.REFUSED:
            errors.append(_("答复附件“%(name)s”未通过：%(reason)s。请删除后重新上传。")
                          % {"name": f.original_name, "reason": f.refusal})
    # The date discipline of the clock actions (common.check_clock_date): not in the future, not
    # before the last clock event, and a date before today only with its 补录理由 — a late reply
    # entered with an earlier date would otherwise read 按期答复 (虚报).
    backdate_reason = text(backdate_reason)
    check_clock_date(app, on, _("答复日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(errors[0]) if len(errors) == 1 else InvalidInput(_("不能答复："), details=errors)
    return ReplyDraft(reply_type=reply_type, outcome=outcome, on=on, reason=reason,
                      published_document=published_document if reply_type == law.ReplyType.PUBLISHED else None,
                      letter_kind=letter_kind_for(reply_type), backdate_reason=backdate_reason)


def _type_label(reply_type: str) -> str:
    if reply_type in law.ReplyType.values:
        return str(law.ReplyType(reply_type).label)
    return _("不予处理")


def _apply(app: Application, draft: ReplyDraft) -> None:
    app.reply_type, app.outcome, app.reply_reason, app.closed_date = (
        draft.reply_type, draft.outcome, draft.reason, draft.on)
    app.published_document = draft.published_document


def preview(app: Application, draft: ReplyDraft) -> LetterContent:
    """The letter ``reply`` will issue for ``draft`` (without its number), for the confirmation page."""
    shadow = copy.copy(app)
    _apply(shadow, draft)
    return letters.compose(shadow, draft.letter_kind)


def reply(app: Application, by, *, reply_type: str, outcome: str, on: date, published_document=None,
          reason: str = "", files_checked: bool = False, backdate_reason: str = "") -> Application:
    """答复办结: the case closed with a reply type and its consistent annual-report outcome, and the
    答复书 (不予处理告知书 for 不予处理) issued with the handler's text, the attached files listed
    and the remedies named. ``files_checked``: the handler has checked the screening warnings of
    the attached files (the confirmation page asks)."""
    draft = check_reply(app, by, reply_type=reply_type, outcome=outcome, on=on,
                        published_document=published_document, reason=reason, backdate_reason=backdate_reason)
    if files_with_warnings(app) and not files_checked:
        raise InvalidInput(_("答复附件中有需核实的个人信息等内容：请在确认页逐项核实（已作区分处理或可以公开）后再答复。"))
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = lock(app)
            files = list(locked.reply_files.select_for_update().order_by("id"))
            if any(f.text_state != FileState.READY for f in files):  # changed since the check
                raise IllegalTransition(_("答复附件已有变化，请刷新页面后重新确认。"))
            old, new = move(locked, Action.REPLY)
            _apply(locked, draft)
            locked.save(update_fields=["state", "outcome", "reply_type", "reply_reason", "closed_date",
                                       "published_document"])
            letter = letters.produce(locked, by, draft.letter_kind, written, record=False)
            audit.record(f"application.{Action.REPLY}", locked, actor=by, org_id=locked.org_id, data={
                "from": old, "to": new, "outcome": draft.outcome, "reply_type": draft.reply_type, "on": draft.on,
                "backdate_reason": draft.backdate_reason, "reason": draft.reason, "files": [{"file": f.pk, "name": f.original_name, "sha256": f.sha256}
                                                  for f in files],
                "files_checked": bool(files_checked and any(f.warnings for f in files)),
                "letter": letters.letter_facts(letter),
            })
    except Exception:
        letters.discard(written)
        raise
    return locked
