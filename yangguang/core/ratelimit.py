"""Fixed-window rate limits shared by all web workers (the public 依申请公开 pages and API,
the login throttle by client address). The named rules of the public pages are theirs
(disclosure/ratelimit.py); this module is the mechanism.

Counters live in the Django cache alias ``"ratelimit"``, which must be a cache that every worker
process sees — the database cache (``django.core.cache.backends.db.DatabaseCache``, table created
by ``createcachetable``). A per-process LocMem cache would let each gunicorn worker count on its
own, so without the alias we fall back to the ``"default"`` cache and log a warning once.

Fixed windows: a counter per (rule, identifier, window number) that expires with its window. The
identifier (an IP address or a tracking code) is stored only as a keyed hash, so the cache table
holds no tracking codes. ``incr`` on the database cache is a read-then-write; two simultaneous
requests may be counted once — harmless for an abuse limit, which needs to be about right, not
exact.

Client IP: ``REMOTE_ADDR``. Behind a reverse proxy the deployment must set it to the real client
address (e.g. nginx ``real_ip`` / gunicorn ``--forwarded-allow-ips`` with a middleware that
rewrites it); otherwise every visitor shares the proxy's address and its limit.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

CACHE_ALIAS = "ratelimit"
_warned = False


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int  # requests allowed per window
    window: int  # seconds


def _cache():
    global _warned
    if CACHE_ALIAS in settings.CACHES:
        return caches[CACHE_ALIAS]
    if not _warned:
        log.warning("CACHES[%r] is not configured: rate limits fall back to the default cache, "
                    "which may be per process.", CACHE_ALIAS)
        _warned = True
    return caches["default"]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(r: Rule, ident: str, now: float) -> tuple[str, int]:
    window_no = int(now // r.window)
    # The salt keeps its first module's name: counters of a running window stay valid.
    digest = salted_hmac("yangguang.disclosure.ratelimit", f"{r.name}:{ident}").hexdigest()[:32]
    retry_after = max(1, math.ceil((window_no + 1) * r.window - now))
    return f"rl:{r.name}:{window_no}:{digest}", retry_after


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends (when not allowed)


def peek_rule(r: Rule, ident: str) -> Verdict:
    key, retry_after = _key(r, ident, time.time())
    count = _cache().get(key, 0)
    return Verdict(True) if count < r.limit else Verdict(False, retry_after)


def hit_rule(r: Rule, ident: str) -> Verdict:
    key, retry_after = _key(r, ident, time.time())
    cache = _cache()
    cache.add(key, 0, timeout=r.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=r.window + 1)
        count = 1
    return Verdict(True) if count <= r.limit else Verdict(False, retry_after)
