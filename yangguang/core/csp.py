"""Content-Security-Policy on every HTML response (issue #15, item 9).

Scripts run only from this site's own files (the vendored htmx, ECharts, Swagger UI and
``static/js``) or from an inline ``<script nonce="{{ csp_nonce }}">``; an injected
``<script>`` or ``onclick=`` in stored data would not run even if escaping failed somewhere.
Styles allow inline ``style=`` (bar heights, column widths, Swagger UI and htmx set them):
style injection cannot run code, and the script rule is the one that matters against XSS.
Nothing is loaded from other hosts (the platform must work offline, DESIGN.md), no plugins,
no framing (X-Frame-Options DENY says the same to older browsers), forms post only here.

No page of ours has an inline script: the pages' code is in ``static/js`` (the 监管总览 charts
in ``supervision-charts.js`` read their figures from a ``json_script`` data block, which is data
and not run). The admin (Django 5.2) loads only its own files too, its constants in ``data-``
attributes. The API docs at ``/api/v1/docs`` get the same policy, no route of their own:
django-ninja (in INSTALLED_APPS) serves Swagger UI from its own static files, starts it from
``swagger-ui-init.js`` and passes the settings in a ``<script type="application/json">``; no
CDN, no inline code, and tests/browser/test_csp.py sees it render without a violation. A
looser route policy would be needed only for the CDN template, which is not used here.

A view may set its own ``Content-Security-Policy`` header; the middleware leaves it alone.
With ``DEBUG`` on, Django's technical 500 page (an inline script for its toggles) is left
without a policy; DEBUG is never on in production.
"""

from __future__ import annotations

import secrets

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html") or HEADER in response:
            return response
        if settings.DEBUG and response.status_code == 500:
            return response  # the technical 500 page and its inline script (see above)
        response[HEADER] = policy(request.csp_nonce)
        return response
