import sys

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from yangguang.core.resilience import DATABASE_ERRORS, is_transient_database_error

# Seconds a client is asked to wait when the database is busy (SQLite's busy_timeout is 10 s).
BUSY_RETRY_AFTER = 10


def healthz(request):
    """200 when this web process can read the database; 503 (JSON) when it cannot. A write lock
    held by a long import does not block reads (WAL), so the site stays up and so does this."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except DATABASE_ERRORS:
        return JsonResponse({"status": "unavailable", "database": connection.vendor,
                             "detail": _("数据库暂时不可用")}, status=503,
                            headers={"Retry-After": str(BUSY_RETRY_AFTER)})
    return JsonResponse({"status": "ok", "database": connection.vendor})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def busy(request=None):
    """503 "系统繁忙，请稍后再试", rendered without the request (no session or user lookup that would
    meet the busy database again)."""
    try:
        body = render_to_string("503.html")
    except Exception:  # pragma: no cover - last resort
        body = "<h1>{}</h1>".format(_("系统繁忙，请稍后再试"))
    return HttpResponse(body, status=503, headers={"Retry-After": str(BUSY_RETRY_AFTER)})


def server_error(request):
    # handler500 runs inside Django's `except` for the uncaught exception, wherever it was raised
    # (a view, a middleware saving the session, a template): a busy or unreachable database is
    # "try again shortly" (503), not a server fault.
    error = sys.exc_info()[1]
    if error is not None and is_transient_database_error(error):
        return busy(request)
    # No template context processors that could fail again: render a static page.
    try:
        return render(request, "500.html", status=500)
    except Exception:  # pragma: no cover - last resort
        return HttpResponse("<h1>服务器内部错误</h1><p>请稍后再试。</p>", status=500)
