"""Checking a tracking request: the code alone never opens an application; the contact given at
application time must match too, compared in constant time."""

from __future__ import annotations

import hmac

from .forms_public import normalise_contact
from .models import Application


def contact_matches(app: Application | None, given: str) -> bool:
    """Constant-time comparison with both stored contacts (also when there is no application)."""
    stored = [app.contact_phone, app.contact_email] if app else ["", ""]
    given_b = given.encode()
    ok = False
    for value in stored:
        norm = normalise_contact(value) if value else ""
        same = hmac.compare_digest(norm.encode(), given_b)
        ok = ok | (bool(norm) and same)
    return ok
