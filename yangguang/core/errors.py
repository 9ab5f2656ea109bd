"""Errors raised by service functions. Each carries a Chinese message fit to show a user."""


class ServiceError(Exception):
    """A business rule refused the action."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        if self.details:
            return self.message + "\n" + "\n".join(self.details)
        return self.message


class NotAllowed(ServiceError):
    """The user has no right to do this (shown as 403, or 404 where existence must not leak)."""


class IllegalTransition(ServiceError):
    """The state machine does not allow this action from the current state."""


class InvalidInput(ServiceError):
    """The input is malformed; `details` lists every problem found."""
