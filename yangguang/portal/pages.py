"""Shared bits of the public pages: document URLs without N+1, canonical / Open Graph /
feed-link metadata, and the cache headers of public pages."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# Public pages may be kept by browsers and proxies this long; a withdrawal shows within a minute.
PUBLIC_MAX_AGE = 60
# The display preferences (适老化) are cookies that change the rendered page.
PREF_COOKIES = ("yg_large", "yg_contrast")
# django.contrib.messages' cookie storage (the fallback storage tries it first).
MESSAGES_COOKIE = "messages"


def doc_key(year: int, serial: int) -> str:
    return f"{year}-{serial:05d}"


def doc_path(org_slug: str, column_slug: str, year: int, serial: int) -> str:
    return reverse("portal:document", args=[org_slug, column_slug, doc_key(year, serial)])


def url_or_empty(name: str, *args) -> str:
    """A URL owned by another app that may not exist yet (search, annual reports)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def feed_links(org_slug: str | None, column_slug: str | None = None, title: str = "") -> list[dict]:
    """RSS and Atom links of a column, an org, or (no slug) the whole site."""
    args = [a for a in (org_slug, column_slug) if a]
    kind = "column" if column_slug else "org" if org_slug else "site"
    return [
        {"type": "application/rss+xml", "title": _("%(t)s（RSS）") % {"t": title},
         "href": reverse(f"discovery:{kind}_rss", args=args)},
        {"type": "application/atom+xml", "title": _("%(t)s（Atom）") % {"t": title},
         "href": reverse(f"discovery:{kind}_atom", args=args)},
    ]


def page_meta(request, *, title: str, description: str = "", og_type: str = "website", feeds=None) -> dict:
    """Context for base_public.html: canonical URL (no query string), Open Graph tags, feeds."""
    canonical = request.build_absolute_uri(request.path)
    description = Truncator(" ".join(strip_tags(description[:2000]).split())).chars(120)
    return {"meta": {"canonical": canonical, "title": title, "description": description,
                     "og_type": og_type, "feeds": feeds or []}}


def prefs_of(request) -> str:
    return ",".join(f"{c}={request.COOKIES.get(c, '')}" for c in PREF_COOKIES)


def public_cache(response, request=None, *, etag_parts: tuple = ()):
    """Cache headers for a page any visitor sees alike, varying only with the display cookies."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))
    if etag_parts and request is not None:
        response["ETag"] = etag_for(request, etag_parts)
    return response


def etag_for(request, parts: tuple) -> str:
    raw = "|".join(str(p) for p in (*parts, prefs_of(request), request.LANGUAGE_CODE))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def cached_render(request, state: tuple, render: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve a rendered public page from the cache while `state` (the data it shows, read by one
    cheap query) is unchanged. Keys hold that state, so two web workers with their own caches
    cannot disagree on content; entries live PUBLIC_MAX_AGE seconds, the same time proxies may
    keep the page. Visitors with a session or pending messages always get a fresh render.
    Uses the cache alias "pages" when the deployment defines one, else "default"."""
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE)):
        return render()  # the page may carry this visitor's messages: never share it
    raw = "|".join(str(p) for p in (request.get_host(), request.get_full_path(), prefs_of(request),
                                      request.LANGUAGE_CODE, *state))
    key = "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = caches["pages" if "pages" in settings.CACHES else "default"]
    body = cache.get(key)
    if body is not None:
        return HttpResponse(body)
    response = render()
    if response.status_code == 200:
        cache.set(key, response.content, PUBLIC_MAX_AGE)
    return response
