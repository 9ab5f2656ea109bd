"""robots.txt, and the constant-string view the page benchmark uses as its floor."""

from django.http import HttpResponse
from django.urls import reverse

# Staff and private paths; the public site, /files/ (published attachments) and feeds stay open.
DISALLOW = ["/workbench/", "/admin/", "/api/", "/login/", "/logout/", "/apply/status/", "/apply/receipt/",
            "/tools/display/", "/search/"]


def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in DISALLOW), "Allow: /", "",
             f"Sitemap: {request.build_absolute_uri(reverse('discovery:sitemap'))}", ""]
    resp = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    resp["Cache-Control"] = "public, max-age=86400"
    return resp


def floor(request):
    """The cheapest Django response: the benchmark's 100 % (routed only with YANGGUANG_BENCH_FLOOR=1)."""
    return HttpResponse("ok", content_type="text/plain")
