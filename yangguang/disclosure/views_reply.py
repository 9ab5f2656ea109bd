"""答复办结 on the case page: the released information (答复附件), and a reply that goes through a
confirmation page showing the 答复书 before the case closes (issue #14: no one-click closing).

POST ``reply`` without ``confirm``: the input is checked (services.check_reply) and the
confirmation page shows the letter it will issue; with ``confirm=1``: the reply is given; with
``edit=1``: back to the case page with the values kept. A problem re-renders the case page with
the values and the message, status 400.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yangguang.core import audit
from yangguang.core.errors import NotAllowed, ServiceError
from yangguang.orgs import permissions

from . import actions, law, services
from .models import Application, ReplyFile
from .reconsideration import body_for
from .services import replies
from .views_staff import app_for

REPLY = actions.ACTIONS["reply"]  # the one action table's reply: fields, permission, service
REPLY_FIELDS = ("reply_type", "outcome", "on", "reason", "index_number", "backdate_reason")


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
    app = app_for(request, pk)
    post = request.POST
    values = reply_values(post)
    if post.get("edit"):
        return _back_to_case(request, app, values, [])
    confirm = post.get("confirm") == "1"
    try:
        if confirm:
            actions.perform(REPLY, app, request.user, post)
        else:
            actions.check_allowed(REPLY, request.user, app)
            draft = services.check_reply(app, request.user, **actions.reply_kwargs(actions.parse(REPLY, post)))
    except NotAllowed as exc:  # no reply form for them: said like any other refused action
        messages.error(request, exc.message)
        return redirect("applications:detail", pk=app.pk)
    except ServiceError as exc:
        return _back_to_case(request, app, values, [exc.message, *exc.details])
    if confirm:
        messages.success(request, str(REPLY.done))
        return redirect("applications:detail", pk=app.pk)
    letter = services.preview(app, draft)
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
    app = app_for(request, pk)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            added = services.add_reply_file(app, request.user, f.name, f.read())
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
    app = app_for(request, pk)
    f = get_object_or_404(app.reply_files, pk=file_id)
    try:
        services.remove_reply_file(f, request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": f.original_name})
    return redirect(f"{app_url(app)}#reply")


def file_response(f: ReplyFile) -> FileResponse:
    path = replies.storage_path(f)
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
    """The people handling the case (permissions.handles)."""
    app = app_for(request, pk)
    if not permissions.handles(request.user, app):
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
