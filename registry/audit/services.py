"""Writing audit events: ``record`` and the field-level diff helpers."""
from __future__ import annotations

import enum
import hashlib
import itertools
import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import chain as _chain  # noqa: F401  (registers the sealing listener)
from registry.audit import listeners as _listeners  # noqa: F401  (registers the audit guard)
from registry.audit.context import get_context
from registry.audit.models import AuditEvent
from registry.db import utcnow
from registry.extensions import db

_order = itertools.count()

#: columns never written to the trail (their value is noise or a secret)
SKIPPED_FIELDS = frozenset({"created_at", "updated_at", "password_hash", "data", "token_hash"})


def to_jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    return value


def snapshot(obj: Any) -> dict[str, list]:
    """``{field: [None, value]}`` for every column of a new object."""
    mapper = sa.inspect(obj).mapper
    out = {}
    for attr in mapper.column_attrs:
        if attr.key in SKIPPED_FIELDS or attr.key == "id":
            continue
        value = getattr(obj, attr.key)
        if value is not None and value != "":
            out[attr.key] = [None, to_jsonable(value)]
    return out


def diff(obj: Any) -> dict[str, list]:
    """``{field: [old, new]}`` for every changed column of a loaded object (unflushed changes)."""
    state = sa.inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_FIELDS:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            out[attr.key] = [to_jsonable(old), to_jsonable(new)]
    return out


def entity_key(obj: Any) -> tuple[str, str]:
    table = sa.inspect(obj).mapper.local_table.name
    ident = sa.inspect(obj).identity
    return table, ",".join(str(i) for i in ident) if ident else ""


def record(
    action: str,
    *,
    actor: Any = None,
    entity: Any = None,
    entity_type: str | None = None,
    entity_id: str | int | None = None,
    changes: dict | None = None,
    reason: str = "",
    session: Session | None = None,
) -> AuditEvent:
    """Add one audit event to the session; it is chained and written at the next flush.

    ``entity`` (a mapped object) fills ``entity_type``/``entity_id`` unless given; call
    after flushing a new object so its id is known. ``actor`` is a ``User`` or ``None``
    for the system (seed, migrations).
    """
    session = session or db.session
    if entity is not None:
        etype, eid = entity_key(entity)
        entity_type = entity_type or etype
        entity_id = entity_id if entity_id is not None else eid
    ctx = get_context()
    ev = AuditEvent(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_username=getattr(actor, "username", "") or ("system" if actor is None else ""),
        actor_roles=",".join(sorted(r.value for r in getattr(actor, "roles", ()))),
        ip=ctx.ip,
        request_id=ctx.request_id,
        entity_type=entity_type or "",
        entity_id=str(entity_id) if entity_id is not None else "",
        action=action,
        changes=json.dumps(changes or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        reason=reason or "",
    )
    ev._order = next(_order)
    session.add(ev)
    return ev
