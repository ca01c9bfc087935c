"""Request-scoped facts the audit trail records (address, request id).

The web layer sets them per request and the CLI per command; services never read
``request`` themselves.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    ip: str = ""
    request_id: str = ""


_EMPTY = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("audit_context", default=None)


def set_context(ctx: AuditContext) -> contextvars.Token:
    return _current.set(ctx)


def get_context() -> AuditContext:
    return _current.get() or _EMPTY
