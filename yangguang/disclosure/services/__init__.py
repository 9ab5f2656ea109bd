"""Business actions of 依申请公开, by concern:

- ``intake``: the application cleaned and registered, 受理, 分办, proof of identity;
- ``clock_events``: 补正, 征求第三方意见, 第35条, the direct extension;
- ``extension``: the extension requested by the handler and decided by the office's head;
- ``fees``: 信息处理费 notice and payment;
- ``replies`` and ``closing``: 答复办结 with its files and letter, 程序性办结, withdrawal;
- ``remedies``: reconsideration and lawsuits recorded on the case;
- ``common``: the shared helpers (permission check, lock, state move, the clock's date discipline).

Each action checks permission (yangguang.orgs.permissions), changes state in one transaction and
writes one audit event; the due date is never stored (see clock.py). Callers use the names
re-exported here: ``from yangguang.disclosure import services; services.register(...)``.
"""

from .clock_events import (
    applicant_correction,
    approve_extension,
    end_consultation,
    end_pause,
    receive_correction,
    request_correction,
    set_article35_date,
    start_consultation,
)
from .closing import close_by_process, withdraw
from .common import (
    ASSIGN_REFUSED,
    NOT_HANDLER,
    check_clock_date,
    check_within_due,
    clock_of,
    due_on,
    fee_pause_setting,
    last_clock_date,
)
from .extension import (
    approve_extension_request,
    extend_directly,
    refuse_extension_request,
    request_extension,
)
from .fees import fee_total, issue_fee_notice, nth_in_month, record_payment
from .intake import accept, add_proof_file, assign, clean_application, is_person, register
from .remedies import record_remedy
from .replies import add_reply_file, check_reply, preview, read_reply_file, remove_reply_file, reply

__all__ = [
    "ASSIGN_REFUSED", "NOT_HANDLER", "accept", "add_proof_file", "add_reply_file", "applicant_correction",
    "approve_extension", "approve_extension_request", "assign", "check_clock_date", "check_reply",
    "check_within_due", "clean_application", "clock_of", "close_by_process", "due_on", "end_consultation",
    "end_pause", "extend_directly", "fee_pause_setting", "fee_total", "is_person", "issue_fee_notice",
    "last_clock_date", "nth_in_month", "preview", "read_reply_file", "receive_correction", "record_payment",
    "record_remedy", "refuse_extension_request", "register", "remove_reply_file", "reply", "request_correction",
    "request_extension", "set_article35_date", "start_consultation", "withdraw",
]
