"""Domain errors: a refusal with its status, its message and the field it concerns."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; the message is shown to the user."""

    status = 400

    def __init__(self, message: str, status: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        # Which input the message is about, so a form can show it under that input.
        self.field = field
        if status is not None:
            self.status = status


class PermissionDenied(DomainError):
    """The actor may not do this."""

    status = 403


class NotFound(DomainError):
    """The thing asked for does not exist (or is hidden from the actor)."""

    status = 404


class Conflict(DomainError):
    """Someone else changed the record since it was read."""

    status = 409
