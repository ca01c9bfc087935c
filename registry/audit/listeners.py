"""The audit guard: no audited row is written without its audit event in the same transaction.

The rule. Every INSERT, UPDATE or DELETE of a row of an audited table (``AUDITED_TABLES``)
creates an obligation. An ``AuditEvent`` added to the same session transaction discharges it
when its ``entity_type``/``entity_id`` name that row, or the row's parent (``PARENTS``: a
review's justifications and comments, a justification's attachments, an item's legal bases,
a user's roles). Updates that touch only bookkeeping columns (``updated_at``, ``version``,
``last_used_at``) create none. Services flush a new row first (to learn its id) and record
its event right after, so the event usually arrives in the *next* flush: obligations are
therefore collected at every flush, discharged by an event recorded after that flush, and
checked when the transaction commits (and by
``check()``, which the test suite calls at the end of every test). A rolled-back
transaction or savepoint takes its obligations with it.

Bulk ORM statements (``session.execute(update(Item)...)``) bypass the flush, so a
``do_orm_execute`` hook refuses INSERT/UPDATE/DELETE statements on audited tables unless
the caller wraps them in ``bulk(...)``, which records one event naming the statement's
table. Raw SQL text is not inspected.

``AUDIT_GUARD`` (config): ``raise`` (testing and development: the commit fails with
``AuditGuardError``), ``warn`` (production default: log an error and go on — a missing
event should be found and fixed, not take the registry down) or ``off``.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent

log = logging.getLogger("registry.audit")

AUDITED_TABLES = frozenset({
    "items", "legal_bases", "departments", "users", "user_roles", "api_tokens", "review_rounds", "reviews",
    "justifications", "attachments", "comments", "higher_level_items",
})
#: child table → (its foreign-key attribute, the parent table) whose event also covers it
PARENTS = {
    "comments": ("review_id", "reviews"),
    "justifications": ("review_id", "reviews"),
    "attachments": ("justification_id", "justifications"),
    "legal_bases": ("item_id", "items"),
    "user_roles": ("user_id", "users"),
}
#: columns whose change alone needs no event
BOOKKEEPING = frozenset({"updated_at", "version", "last_used_at"})

_PENDING, _EVENTS, _BULK = "audit_guard_pending", "audit_guard_events", "audit_guard_bulk"


class AuditGuardError(RuntimeError):
    """An audited table was written without an audit event."""


@dataclass(frozen=True)
class Obligation:
    what: str  # "INSERT items:5"
    covered_by: frozenset[tuple[str, str]]
    #: when the write was flushed, on the clock ``audit.services.record`` stamps events with
    at: int
    txn: object


def _now() -> int:
    from registry.audit.services import _order

    return next(_order)


def _stamp(ev: AuditEvent) -> int:
    return getattr(ev, "_order", 1 << 62)


def mode(session: Session | None = None) -> str:
    value = session.info.get("audit_guard") if session is not None else None
    if value is None and has_app_context():
        value = current_app.config.get("AUDIT_GUARD", "off")
    if value is True:
        return "raise"
    return value if value in ("raise", "warn") else "off"


def _key(table: str, obj) -> tuple[str, str]:
    """The (entity_type, entity_id) an audit event uses for ``obj`` (as ``audit.services.entity_key``)."""
    ident = sa.inspect(obj).mapper.primary_key_from_instance(obj)
    return table, ",".join(str(i) for i in ident)


def _covering_keys(obj, table: str) -> frozenset[tuple[str, str]]:
    state = sa.inspect(obj)
    keys = {_key(table, obj)}
    while table in PARENTS:
        fk, parent = PARENTS[table]
        hist = state.attrs[fk].history
        values = [v for v in (*hist.unchanged, *hist.added, *hist.deleted) if v is not None]
        if not values:
            break
        keys.update((parent, str(v)) for v in values)
        rel = {"review_id": "review", "justification_id": "justification"}.get(fk)
        loaded = state.attrs[rel].loaded_value if rel and rel in state.attrs else None
        if loaded is None or loaded is sa.orm.base.NO_VALUE:
            break
        state, table = sa.inspect(loaded), parent
    return frozenset(keys)


def _changed_columns(obj) -> set[str]:
    state = sa.inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


def _txn(session: Session):
    return session.get_nested_transaction() or session.get_transaction()


@event.listens_for(Session, "after_flush")
def _collect(session: Session, flush_context) -> None:
    """Note the audited rows this flush wrote and the audit events it added."""
    if mode(session) == "off":
        return
    pending, events, txn = session.info.setdefault(_PENDING, []), session.info.setdefault(_EVENTS, []), _txn(session)
    now = _now()
    for verb, objs in (("INSERT", session.new), ("UPDATE", session.dirty), ("DELETE", session.deleted)):
        for obj in objs:
            if isinstance(obj, AuditEvent):
                events.append(((obj.entity_type, obj.entity_id), _stamp(obj), txn))
                continue
            table = sa.inspect(obj).mapper.local_table.name
            if table not in AUDITED_TABLES:
                continue
            if verb == "UPDATE" and not (_changed_columns(obj) - BOOKKEEPING):
                continue
            own = _key(table, obj)
            pending.append(Obligation(f"{verb} {own[0]}:{own[1]}", _covering_keys(obj, table), now, txn))


def unaudited(session: Session) -> list[str]:
    """The writes of this transaction so far that no later audit event covers.

    An event covers a write when it names the written row (or its parent) and was recorded
    after the write was flushed: an event recorded before a change does not excuse it.
    """
    latest: dict[tuple[str, str], int] = {}
    flushed = [(key, at) for key, at, _txn in session.info.get(_EVENTS, [])]
    unflushed = [((o.entity_type, o.entity_id), _stamp(o)) for o in session.new if isinstance(o, AuditEvent)]
    for key, at in flushed + unflushed:
        latest[key] = max(at, latest.get(key, at))
    return [o.what for o in session.info.get(_PENDING, [])
            if not any(latest.get(key, -1) > o.at for key in o.covered_by)]


def check(session: Session) -> None:
    """Raise (or log) if any audited write of the current transaction lacks its event."""
    current = mode(session)
    if current == "off":
        return
    missing = unaudited(session)
    if not missing:
        return
    message = "audited rows written without an audit event: " + ", ".join(missing[:10])
    if current == "raise":
        raise AuditGuardError(message)
    log.error(message)


@event.listens_for(Session, "before_commit")
def _check_at_commit(session: Session) -> None:
    if mode(session) == "off":
        return
    session.flush()
    check(session)


def _forget(session: Session, txn=None) -> None:
    if txn is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_EVENTS, None)
        return

    def inside(t) -> bool:
        while t is not None:
            if t is txn:
                return True
            t = t.parent
        return False

    for key in (_PENDING, _EVENTS):
        items = session.info.get(key)
        if items:
            session.info[key] = [i for i in items if not inside(i.txn if isinstance(i, Obligation) else i[2])]


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    _forget(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    _forget(session, None if previous_transaction.parent is None else previous_transaction)


@event.listens_for(Session, "do_orm_execute")
def _refuse_unaudited_bulk(state) -> None:
    """Bulk INSERT/UPDATE/DELETE on an audited table only inside ``bulk(...)``."""
    if not (state.is_update or state.is_delete or state.is_insert) or mode(state.session) == "off":
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in AUDITED_TABLES and name not in state.session.info.get(_BULK, ()):
        message = f"bulk {type(state.statement).__name__.upper()} on {name} without an audit event: use audit bulk()"
        if mode(state.session) == "raise":
            raise AuditGuardError(message)
        log.error(message)


@contextmanager
def bulk(action: str, *, entity_type: str, actor=None, reason: str = "", changes: dict | None = None,
         session: Session | None = None):
    """Record one ``action`` event for a bulk statement on ``entity_type`` and allow it inside the block.

    ``with bulk("item.bulk_update", entity_type="items", actor=admin, changes={...}):
    db.session.execute(update(Item)...)``
    """
    from registry.audit.services import record
    from registry.extensions import db

    session = session or db.session
    record(action, actor=actor, entity_type=entity_type, entity_id="*", changes=changes, reason=reason,
           session=session)
    allowed = session.info.setdefault(_BULK, [])
    allowed.append(entity_type)
    try:
        yield
    finally:
        allowed.remove(entity_type)
