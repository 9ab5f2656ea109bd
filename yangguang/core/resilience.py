"""Staying up while the database is busy or away: which database errors are transient, and the
restart/retry backoff shared by `yangguang serve`, the task worker and the clock.

A long write on SQLite (an import of 30,000 rows, approving a draft with a large attachment)
holds the database's one write lock longer than `busy_timeout` (10 s); every other writer then
gets "database is locked". On PostgreSQL a restart of the server or a network cut closes the
connections. Both pass: the worker and the clock wait and try again, the web answers 503
"系统繁忙，请稍后再试" with Retry-After instead of a 500 page.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError, connections

# What a worker or the clock retries instead of exiting: any failure to talk to the database.
# (A lasting misconfiguration is logged at every attempt, at most every RETRY_MAX seconds.)
DATABASE_ERRORS = (OperationalError, InterfaceError)

RETRY_FIRST = 1.0  # seconds before the first retry / restart
RETRY_MAX = 30.0  # the backoff doubles up to this
STABLE_AFTER = 60.0  # a process that ran this long before failing starts again from RETRY_FIRST

# SQLite result codes (the low byte of sqlite3.Error.sqlite_errorcode): SQLITE_BUSY, SQLITE_LOCKED.
_SQLITE_BUSY_CODES = {5, 6}
# PostgreSQL SQLSTATE: connection exceptions (class 08), admin shutdown / crash shutdown /
# cannot connect now, too many connections, lock not available, deadlock, statement cancelled
# by a timeout.
_PG_TRANSIENT_STATES = {"57P01", "57P02", "57P03", "53300", "55P03", "40P01", "57014"}


class Backoff:
    """Delays RETRY_FIRST, 2×, 4× … up to RETRY_MAX; `reset()` after a success, or `failed(ran)`
    which resets by itself when the failing run lasted STABLE_AFTER seconds or more."""

    def __init__(self, first: float = RETRY_FIRST, maximum: float = RETRY_MAX, stable_after: float = STABLE_AFTER):
        self.first, self.maximum, self.stable_after = first, maximum, stable_after
        self._next = first

    def reset(self) -> None:
        self._next = self.first

    def failed(self, ran: float | None = None) -> float:
        """The delay before the next attempt after a failure (of a run that lasted `ran` seconds)."""
        if ran is not None and ran >= self.stable_after:
            self.reset()
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay


def _causes(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_transient_database_error(exc: BaseException) -> bool:
    """True for "the database is busy or unreachable right now" (retry later), False for errors
    that a retry would not fix (no such table, a syntax error)."""
    if not isinstance(exc, DATABASE_ERRORS):
        return False
    if isinstance(exc, InterfaceError):  # the connection is closed
        return True
    for cause in _causes(exc):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_BUSY_CODES
        if type(cause).__module__.startswith("psycopg"):
            state = getattr(cause, "sqlstate", None)
            # No SQLSTATE: the server never answered (connection refused, lost, timed out).
            return state is None or state.startswith("08") or state in _PG_TRANSIENT_STATES
    message = str(exc).lower()
    return "is locked" in message or "database is busy" in message


def describe(exc: BaseException) -> str:
    """The error class and the first line of its message, for a log line."""
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{type(exc).__name__}: {first_line[:200]}"


def close_connections() -> None:
    """Drop every database connection of this process (a broken one would fail again); the next
    query opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DATABASE_ERRORS:
            # Closing a dead connection can fail; forget it anyway.
            conn.connection = None
