"""What a user may do with an edition, as the workbench page and the staff API show it.

One function built from the permission questions (``orgs.permissions``) and the state table
(``workflow``): the page offers a button, and the API lists an action, exactly when the service
behind it would not refuse the user (the object's state or input may still say no).
"""

from __future__ import annotations

from yangguang.orgs import permissions

from ..models import Document, Edition, WithdrawalRequest
from ..workflow import EDITABLE_STATES
from .publication import pending_withdrawal

# The action names, in the order the page shows them (also the staff API's ``actions``).
ACTIONS = (
    "edit", "submit", "review", "urgent", "new_edition", "retro", "decide_withdrawal", "withdraw", "request_withdrawal",
)


def on_live(edition: Edition) -> bool:
    """Is ``edition`` the public one of its document (withdrawal is asked on it)?"""
    doc = edition.document
    return doc.is_public and edition.pk == doc.live_edition_id


def shown_withdrawal(edition: Edition) -> WithdrawalRequest | None:
    """The pending withdrawal request the edition's page shows (on the live edition only)."""
    return pending_withdrawal(edition.document) if on_live(edition) else None


_UNSET = object()


def edition_actions(user, edition: Edition, *, pending=_UNSET) -> dict[str, bool]:
    """{action: allowed} for ``user`` on ``edition``. ``pending``: ``shown_withdrawal(edition)``
    when the caller has it already.

    - edit / submit (and upload, discard, accepting a finding while drafting): ``can_draft`` of the
      document's org, while the edition is a draft or returned;
    - review (approve, return): ``can_review`` (the current level's reviewer, not the author);
    - urgent: ``can_urgent_publish`` while editable;
    - new_edition: ``can_draft`` on the live edition;
    - retro: ``can_retro_review`` while the document awaits its retrospective review;
    - withdrawal on the live edition: a leader (``can_decide_withdrawal``) decides a pending request
      or withdraws directly; other staff (``can_request_withdrawal``) ask when none is pending.
    """
    doc: Document = edition.document
    editable = edition.state in EDITABLE_STATES
    live = on_live(edition)
    drafter = permissions.can_draft(user, doc.org)
    if pending is _UNSET:
        pending = shown_withdrawal(edition)
    leader = live and permissions.can_decide_withdrawal(user, doc)
    return {
        "edit": drafter and editable,
        "submit": drafter and editable,
        "review": permissions.can_review(user, edition),
        "urgent": editable and permissions.can_urgent_publish(user, doc.org),
        "new_edition": drafter and live,
        "retro": doc.retro_review_pending and permissions.can_retro_review(user, doc),
        "decide_withdrawal": pending is not None and leader,
        "withdraw": live and pending is None and leader,
        "request_withdrawal": (live and pending is None and not leader
                               and permissions.can_request_withdrawal(user, doc)),
    }


def allowed_actions(user, edition: Edition) -> list[str]:
    """The names of the actions ``user`` may take on ``edition`` (the staff API's ``actions``)."""
    return [name for name, ok in edition_actions(user, edition).items() if ok]
