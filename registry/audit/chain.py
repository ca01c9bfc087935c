"""Hash chaining of audit events: canonical serialisation, sealing and verification."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from registry.audit.models import GENESIS_HASH, AuditEvent

#: advisory-lock key that serialises chain appends on PostgreSQL
CHAIN_LOCK_KEY = 0x61756469


def canonical(ev: AuditEvent) -> str:
    payload = {
        "seq": ev.seq,
        "created_at": ev.created_at.isoformat(),
        "actor_id": ev.actor_id,
        "actor_username": ev.actor_username or "",
        "actor_roles": ev.actor_roles or "",
        "ip": ev.ip or "",
        "request_id": ev.request_id or "",
        "entity_type": ev.entity_type,
        "entity_id": ev.entity_id or "",
        "action": ev.action,
        "changes": ev.changes or "{}",
        "reason": ev.reason or "",
        "prev_hash": ev.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(ev: AuditEvent) -> str:
    return hashlib.sha256(canonical(ev).encode("utf-8")).hexdigest()


def _head(session: Session) -> tuple[int, str]:
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    row = conn.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


@event.listens_for(Session, "before_flush")
def _seal_new_events(session: Session, flush_context, instances) -> None:
    """Give every new audit event its place in the chain, in creation order."""
    pending = [o for o in session.new if isinstance(o, AuditEvent) and o.hash is None]
    if not pending:
        return
    pending.sort(key=lambda e: getattr(e, "_order", 0))
    seq, prev = _head(session)
    for ev in pending:
        seq += 1
        ev.seq = seq
        ev.prev_hash = prev
        ev.hash = compute_hash(ev)
        prev = ev.hash


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: int | None = None
    problem: str = ""


def verify(session: Session, batch: int = 2000) -> VerifyResult:
    """Walk the whole chain in ``seq`` order and report the first event that breaks it."""
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    stmt = sa.select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for ev in session.scalars(stmt):
        if ev.seq != expected_seq:
            why = "missing event before it (deleted?)" if ev.seq > expected_seq else "sequence out of order"
            return VerifyResult(False, count, prev, ev.seq, ev.id, why)
        if ev.prev_hash != prev:
            return VerifyResult(False, count, prev, ev.seq, ev.id, "previous-hash link broken (inserted or reordered)")
        if compute_hash(ev) != ev.hash:
            return VerifyResult(False, count, prev, ev.seq, ev.id, "content does not match its hash (altered)")
        prev, expected_seq, count = ev.hash, expected_seq + 1, count + 1
        session.expunge(ev)
    return VerifyResult(True, count, prev)
