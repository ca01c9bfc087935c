"""Domain errors every service may raise; views and the API map them to responses."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused the change; ``message`` is user-facing (translatable)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    status = 422


class InvalidTransition(DomainError):
    status = 409


class StaleObject(DomainError):
    """Somebody else changed the object since the caller loaded it."""

    status = 409


class NotAllowed(DomainError):
    status = 403
