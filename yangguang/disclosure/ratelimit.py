"""The abuse limits of the public 依申请公开 pages and the open API, by name; the mechanism
(fixed windows in the shared ``"ratelimit"`` cache) is core/ratelimit.py."""

from __future__ import annotations

import time  # noqa: F401 - tests patch ratelimit.time.time, the clock core.ratelimit reads

from django.conf import settings

from yangguang.core.ratelimit import (  # noqa: F401 - re-exported for the views and the API
    CACHE_ALIAS,
    Rule,
    Verdict,
    client_ip,
    hit_rule,
    peek_rule,
)

# Defaults; a deployment may override the numbers with settings.YANGGUANG_RATE_LIMITS =
# {"apply_ip": (5, 3600), ...}.
DEFAULT_RULES = {
    "apply_ip": Rule("apply_ip", 5, 3600),  # applications submitted, per IP per hour
    "track_ip": Rule("track_ip", 10, 600),  # tracking attempts, per IP per 10 minutes
    # Tracking attempts per (tracking code, client IP) per hour: keyed on the pair, so a stranger who
    # knows a code exhausts only his own attempts, never the applicant's (issue #15 item 10).
    # Guessing a contact for a code from many addresses is bounded by track_ip per address.
    "track_code": Rule("track_code", 20, 3600),
    "api_ip": Rule("api_ip", 300, 300),  # open public API (/api/v1/public/) requests, per IP per 5 minutes
}


def rule(name: str) -> Rule:
    override = getattr(settings, "YANGGUANG_RATE_LIMITS", {}).get(name)
    if override:
        return Rule(name, int(override[0]), int(override[1]))
    return DEFAULT_RULES[name]


def peek(name: str, ident: str) -> Verdict:
    """Is one more request allowed? Does not count it."""
    return peek_rule(rule(name), ident)


def hit(name: str, ident: str) -> Verdict:
    """Count one request; not allowed once the window's count passes the limit."""
    return hit_rule(rule(name), ident)
