"""Login throttling by client address across accounts (issue #15 item 10).

django-axes locks a (username, IP) pair after AXES_FAILURE_LIMIT failures: one password tried
against many accounts from one address was never throttled. Axes compares every lockout
parameter against the same limit, so adding "ip_address" there would lock a whole office behind
one NAT address after 5 typos by anyone. Instead the address has a limit of its own, counted here
(failed logins from the address, any username) in the shared rate-limit cache: LOGIN_IP_FAILURES
per LOGIN_IP_WINDOW seconds, both settings. Over it, every login from the address is refused with
the axes lockout page (HTTP 429) before any password is checked.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from . import ratelimit

RULE = "login_ip"


def _limits() -> tuple[int, int]:
    return int(getattr(settings, "LOGIN_IP_FAILURES", 30)), int(getattr(settings, "LOGIN_IP_WINDOW", 1800))


def _ident(request) -> str:
    return ratelimit.client_ip(request)


class IpThrottleBackend:
    """First of AUTHENTICATION_BACKENDS: refuses (and lets axes render its lockout page) when the
    client address is over its failure limit; otherwise declines, and the next backends decide."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        limit, window = _limits()
        if not ratelimit.peek_rule(ratelimit.Rule(RULE, limit, window), _ident(request)).allowed:
            request.axes_locked_out = True  # AxesMiddleware answers with AXES_LOCKOUT_TEMPLATE, 429
            request.yangguang_ip_locked = True
            request.axes_credentials = credentials
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied  # stops authenticate(): no backend checks the password
        return None

    # No get_user(): this backend never logs anyone in, and Django's login() and the test client's
    # force_login() take the first backend that has get_user as the session's backend.


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "yangguang_ip_locked", False):
        return  # a refused attempt does not extend the window
    limit, window = _limits()
    ratelimit.hit_rule(ratelimit.Rule(RULE, limit, window), _ident(request))
