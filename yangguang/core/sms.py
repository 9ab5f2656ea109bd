"""SMS senders: one small interface, chosen by ``settings.SMS_SENDER`` (a dotted path).

A sender is a class built without arguments whose ``send(to, text)`` returns when the message
was accepted and raises ``SmsError`` (or any exception) when it was not; core/outbox.py records
the failure and retries later. Two come with the platform:

- ``ConsoleSender`` (the default): writes the message to the log / standard output, like
  Django's console e-mail backend — nothing leaves the machine.
- ``HttpSender``: POSTs ``{"to": "<mobile>", "text": "<message>"}`` as JSON to
  ``settings.SMS_HTTP_URL`` with ``Authorization: Bearer <settings.SMS_HTTP_TOKEN>``; any answer
  other than 2xx (redirects included), a timeout (``settings.SMS_HTTP_TIMEOUT`` seconds) or a
  network error is a failure. A deployment's gateway (a 短信平台 of the 政务云, or a small
  adapter in front of a commercial one) accepts this shape.

Another gateway is one more class with a ``send`` method, named in ``YANGGUANG_SMS_SENDER``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# A mainland mobile number (11 digits, 1[3-9]…), optionally written with +86 / 86 and separators.
_MOBILE = re.compile(r"1[3-9]\d{9}")


class SmsError(Exception):
    """The gateway did not accept the message."""


class Sender(Protocol):
    def send(self, to: str, text: str) -> None: ...


def mobile_number(phone: str | None) -> str:
    """The 11-digit mobile number in ``phone``, or "" (a fixed line cannot receive SMS)."""
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if _MOBILE.fullmatch(digits) else ""


def get_sender() -> Sender:
    return import_string(settings.SMS_SENDER)()


class ConsoleSender:
    """Prints the message (the default: nothing is sent)."""

    def send(self, to: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {to}] {text}\n")
        sys.stdout.flush()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is an answer other than 2xx: a failure, never a re-sent POST


class HttpSender:
    """POST JSON to settings.SMS_HTTP_URL with a bearer token; non-2xx = failure."""

    def __init__(self):
        self.url = getattr(settings, "SMS_HTTP_URL", "")
        self.token = getattr(settings, "SMS_HTTP_TOKEN", "")
        self.timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", 10))
        if not self.url.startswith(("http://", "https://")):
            raise SmsError(_("短信网关地址未配置或不是 http(s) 地址（YANGGUANG_SMS_HTTP_URL）。"))

    def send(self, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
        })
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
                answer = response.read(500)
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read(500) if exc.fp else b""
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(_("短信网关无法连接：%(error)s") % {"error": getattr(exc, "reason", exc)}) from exc
        if not 200 <= status < 300:
            raise SmsError(_("短信网关拒绝：HTTP %(status)s %(answer)s")
                           % {"status": status, "answer": answer.decode("utf-8", "replace")[:200]})
