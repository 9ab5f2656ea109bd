from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No template context processors that could fail again: render a static page.
    try:
        return render(request, "500.html", status=500)
    except Exception:  # pragma: no cover - last resort
        return HttpResponse("<h1>服务器内部错误</h1><p>请稍后再试。</p>", status=500)
