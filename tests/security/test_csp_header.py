"""Issue #15 item 9: a Content-Security-Policy on every HTML response (core/csp.py).

The header is checked here; tests/browser/test_csp.py checks that Chromium enforces it and that
the pages still work under it."""

import re
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from helpers import Staff, new_user

from yangguang.core.csp import HEADER, ContentSecurityPolicyMiddleware
from yangguang.publishing.models import Document
from yangguang.publishing.urlsutil import public_url

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'")
DATA_TYPES = {"application/json", "application/ld+json"}  # json_script: data, never run


class Scripts(HTMLParser):
    """Every <script> of a page: (attributes, has inline code)."""

    def __init__(self):
        super().__init__()
        self.found, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = [dict(attrs), ""]
            self.found.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def nonce_of(response) -> str:
    match = NONCE.search(response.get(HEADER, ""))
    assert match, response.get(HEADER)
    return match.group(1)


def inline_scripts_without_nonce(html: str, nonce: str) -> list[str]:
    parser = Scripts()
    parser.feed(html)
    return [code.strip()[:80] for attrs, code in parser.found
            if "src" not in attrs and attrs.get("type") not in DATA_TYPES and attrs.get("nonce") != nonce]


@pytest.fixture
def published(staff_a):
    edition = staff_a.publish(staff_a.draft(title="关于推进政务公开工作的通知"))
    return Document.objects.get(pk=edition.document_id)


def test_html_pages_carry_the_policy_with_a_fresh_nonce(client, published):
    pages = ["/", public_url(published), "/orgs/", "/admin/login/", "/api/v1/docs", "/no-such-page/"]
    nonces = []
    for url in pages:
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html"), url
        policy = response[HEADER]
        for directive in ("object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "default-src 'self'"):
            assert directive in policy, (url, policy)
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], policy
        nonces.append(nonce_of(response))
    nonces.append(nonce_of(client.get("/")))
    assert len(set(nonces)) == len(nonces)  # a new one for every response, the same page too


def test_json_responses_do_not_need_it(client, published):
    """The API's HTML page (Swagger UI) has the policy; its JSON answers run nothing and go without."""
    assert nonce_of(client.get("/api/v1/docs"))
    for url in ("/api/v1/public/orgs", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/json"), url
        assert HEADER not in response, url


def test_the_nonce_in_the_header_is_the_one_templates_get():
    """A template's <script nonce="{{ csp_nonce }}"> (core/context.py) carries the header's nonce."""
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">run()</script><p>x</p>')
    view = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(template.render(request=request)))
    first, second = view(RequestFactory().get("/")), view(RequestFactory().get("/"))
    for response in (first, second):
        parser = Scripts()
        parser.feed(response.content.decode())
        assert [attrs["nonce"] for attrs, _ in parser.found] == [nonce_of(response)]
    assert nonce_of(first) != nonce_of(second)


def test_a_view_with_its_own_policy_keeps_it():
    own = "default-src 'none'"

    def view(request):
        response = HttpResponse("<p>x</p>")
        response[HEADER] = own
        return response

    assert ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))[HEADER] == own


def test_pages_have_no_inline_script_without_the_nonce(org_a, city, published):
    """Every page's scripts are files, data blocks or nonce'd: what the policy lets run."""
    pages = {"/": None, public_url(published): None, "/search/?q=公开": None, "/apply/": None,
             "/workbench/": Staff(org_a, "w").clerk, "/workbench/supervision/": new_user("gkb", city, "supervisor")}
    for url, user in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_scripts_without_nonce(response.content.decode(), nonce_of(response)) == [], url


def test_debug_error_page_only_is_left_without_it(settings):
    """Django's technical 500 page (DEBUG only) has an inline script of its own; nothing else is exempt."""
    error = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>x</p>", status=500))
    settings.DEBUG = True
    assert HEADER not in error(RequestFactory().get("/"))
    settings.DEBUG = False
    assert HEADER in error(RequestFactory().get("/"))
