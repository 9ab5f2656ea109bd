"""答复办结 on the case page: the released information (答复附件), and a reply that goes through a
confirmation page showing the 答复书 before the case closes (issue #14: no one-click closing).

POST ``reply`` without ``confirm``: the input is checked (services_reply.check_reply) and the
confirmation page shows the letter it will issue; with ``confirm=1``: the reply is given; with
``edit=1``: back to the case page with the values kept. A problem re-renders the case page with
the values and the message, status 400.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yangguang.core import audit
from yangguang.core.errors import ServiceError

from . import law, services, services_reply
from .models import Application, ReplyFile
from .reconsideration import body_for

REPLY_FIELDS = ("reply_type", "outcome", "on", "reason", "index_number", "backdate_reason")


def _published_by_index(index_number: str):
    from yangguang.publishing.models import Document

    index_number = index_number.strip()
    return Document.objects.public().filter(index_number=index_number).first() if index_number else None


def reply_values(post) -> dict:
    return {k: post.get(k, "") for k in REPLY_FIELDS}


def reply_type_label(reply_type: str) -> str:
    if reply_type in law.ReplyType.values:
        return str(law.ReplyType(reply_type).label)
    return _("不予处理") if reply_type == law.REFUSE_TO_HANDLE else reply_type


def _back_to_case(request, app: Application, values: dict, errors: list[str]):
    from .views_staff import detail

    return detail(request, app.pk, reply_values=values, reply_errors=errors)


@login_required
@require_POST
def reply(request, pk):
    from .views_staff import _app_for

    app = _app_for(request, pk)
    post = request.POST
    values = reply_values(post)
    if post.get("edit"):
        return _back_to_case(request, app, values, [])
    try:
        on = date.fromisoformat(values["on"]) if values["on"] else timezone.localdate()
    except ValueError:
        return _back_to_case(request, app, values, [_("答复日期格式不正确。")])
    doc = _published_by_index(values["index_number"])
    kwargs = {"reply_type": values["reply_type"], "outcome": values["outcome"], "on": on,
              "published_document": doc, "reason": values["reason"], "backdate_reason": values["backdate_reason"]}
    try:
        if post.get("confirm") == "1":
            services.reply(app, request.user, files_checked=post.get("files_checked") == "1", **kwargs)
        else:
            draft = services_reply.check_reply(app, request.user, **kwargs)
    except ServiceError as exc:
        return _back_to_case(request, app, values, [exc.message, *exc.details])
    if post.get("confirm") == "1":
        messages.success(request, _("已答复并办结，答复书已签发；申请人可在查询页面查看答复书并下载所提供的信息。"))
        return redirect("applications:detail", pk=app.pk)
    letter = services_reply.preview(app, draft)
    files = list(app.reply_files.all())
    return render(request, "applications/reply_confirm.html", {
        "app": app, "values": values, "draft": draft, "letter": letter, "files": files,
        "warned": [f for f in files if f.warnings],
        "reply_label": reply_type_label(draft.reply_type), "outcome_text": law.outcome_text(draft.outcome),
        "body": body_for(app.org),
    })


@login_required
@require_POST
def upload_file(request, pk):
    from .views_staff import _app_for

    app = _app_for(request, pk)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            added = services_reply.add_reply_file(app, request.user, f.name, f.read())
        except ServiceError as exc:
            messages.error(request, exc.message)
            for d in exc.details:
                messages.error(request, d)
        else:
            if added.text_state == ReplyFile.TextState.PENDING:
                messages.info(request, _("“%(name)s”已上传，正在后台读取和审查，完成后才能答复。") % {"name": added.original_name})
            else:
                messages.success(request, _("“%(name)s”已上传并通过审查。") % {"name": added.original_name})
    return redirect(f"{app_url(app)}#reply")


def app_url(app: Application) -> str:
    from django.urls import reverse

    return reverse("applications:detail", args=[app.pk])


@login_required
@require_POST
def remove_file(request, pk, file_id):
    from .views_staff import _app_for

    app = _app_for(request, pk)
    f = get_object_or_404(app.reply_files, pk=file_id)
    try:
        services_reply.remove_reply_file(f, request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": f.original_name})
    return redirect(f"{app_url(app)}#reply")


def file_response(f: ReplyFile) -> FileResponse:
    path = services_reply.storage_path(f)
    if not path.exists():
        raise Http404
    resp = FileResponse(path.open("rb"), content_type=f.content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.original_name)}"
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


@login_required
def staff_file(request, pk, file_id):
    """The people handling the case (services._office)."""
    from .views_staff import _app_for

    app = _app_for(request, pk)
    if not services._office(request.user, app):
        raise Http404
    return file_response(get_object_or_404(app.reply_files, pk=file_id))


def applicant_files(app: Application):
    """The files the applicant may download: those of a reply that delivered information, once given."""
    if app.closed_date is None or app.reply_type not in law.REPLY_TYPES_WITH_FILES:
        return ReplyFile.objects.none()
    return app.reply_files.filter(text_state=ReplyFile.TextState.READY)


def applicant_download(app: Application, file_id: int) -> FileResponse:
    """For the status page (views_public: verified with tracking code + contact in this session);
    each download is in the audit log (delivery of the information)."""
    f = get_object_or_404(applicant_files(app), pk=file_id)
    with transaction.atomic():
        audit.record("application.reply_file_download", app, org_id=app.org_id,
                     data={"file": f.pk, "name": f.original_name, "sha256": f.sha256})
    return file_response(f)
