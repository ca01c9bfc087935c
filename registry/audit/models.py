"""The append-only, hash-chained audit trail."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    """One audited fact. The database refuses UPDATE and DELETE on this table.

    ``seq`` numbers events 1, 2, 3 …; each event stores the previous event's hash and its
    own hash over a canonical serialisation, so an altered, deleted, inserted or reordered
    event breaks the chain. ``seq`` and ``prev_hash`` are unique, so two concurrent writers
    can never fork it.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: the acting user's id; no foreign key, so the trail outlives any user row
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_username: Mapped[str] = mapped_column(sa.String(64), default="")
    #: the actor's roles at the time, comma-separated
    actor_roles: Mapped[str] = mapped_column(sa.String(200), default="")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    request_id: Mapped[str] = mapped_column(sa.String(64), default="")
    entity_type: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity_id: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    #: canonical JSON: {"field": [old, new], ...}
    changes: Mapped[str] = mapped_column(sa.Text, default="{}")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    def __repr__(self) -> str:
        return f"<AuditEvent #{self.seq} {self.action} {self.entity_type}:{self.entity_id}>"
