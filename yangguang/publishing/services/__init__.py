"""Business actions of 主动公开. Views, API, commands and tasks call these; nothing else
changes a document's state. Each action checks permission, runs in one transaction
and writes one audit event."""

from .content import (
    add_attachment,
    create_draft,
    discard_draft,
    link_interpretation,
    remove_attachment,
    start_new_edition,
    update_draft,
)
from .publication import (
    approve_withdrawal,
    complete_retro_review,
    publish_due,
    refuse_withdrawal,
    remove_document,
    request_withdrawal,
    unschedule,
    urgent_publish,
    withdraw,
)
from .review import accept_finding, approve, return_edition, submit

__all__ = [
    "accept_finding", "add_attachment", "approve", "approve_withdrawal", "complete_retro_review", "create_draft",
    "discard_draft", "link_interpretation", "publish_due", "refuse_withdrawal", "remove_attachment",
    "remove_document", "request_withdrawal", "return_edition", "start_new_edition", "submit", "unschedule",
    "update_draft", "urgent_publish", "withdraw",
]
