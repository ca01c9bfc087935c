"""Keeps the search index in step with items, whoever writes them.

An ``after_flush`` listener re-indexes every item that a flush created or changed (and the
items of a changed legal basis or department), with Core statements on the flush's own
connection: no ORM objects, so no nested flush. ``rebuild`` re-indexes everything in
batches (migrations, ``registry public reindex``, the benchmark builder).

Each token row also copies the item's code and published decision and the token's rank in
the item's name (see ``ItemSearchToken``): an item is re-indexed whenever it changes, so the
copies follow.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, aliased

from registry.items.models import BasisKind, Decision, Department, Item, LegalBasis
from registry.public.models import ItemSearchDoc, ItemSearchToken
from registry.public.search import name_rank, normalise, tokens

BATCH = 1000
_docs = ItemSearchDoc.__table__
_tokens = ItemSearchToken.__table__
#: the token table before revision 0008 (older migrations rebuild the index too)
_plain_tokens = sa.table("item_search_tokens", sa.column("token"), sa.column("item_id"))


class Document(NamedTuple):
    item_id: int
    #: the normalised name (as stored: cut to the column's 400 characters)
    name: str
    body: str
    code: str
    decision: Decision | None


def _documents(conn: sa.Connection, item_ids: list[int]) -> list[Document]:
    """The search documents of the given items."""
    comp, impl = aliased(Department), aliased(Department)
    rows = conn.execute(
        sa.select(Item.id, Item.name, Item.code, comp.name, impl.name, Item.decision)
        .join(comp, comp.id == Item.competent_department_id)
        .join(impl, impl.id == Item.implementing_department_id)
        .where(Item.id.in_(item_ids))
    ).all()
    bases: dict[int, list[str]] = {}
    for item_id, title, number in conn.execute(
        sa.select(LegalBasis.item_id, LegalBasis.title, LegalBasis.document_number)
        .where(LegalBasis.item_id.in_(item_ids), LegalBasis.kind == BasisKind.setting)
        .order_by(LegalBasis.item_id, LegalBasis.position)
    ):
        bases.setdefault(item_id, []).extend((title, number))
    out = []
    for item_id, name, code, comp_name, impl_name, decision in rows:
        compact_code = normalise(code).replace(" ", "")  # "XK-001" is found as "xk001" too
        parts = [name, code, compact_code, comp_name, impl_name if impl_name != comp_name else "",
                 *bases.get(item_id, [])]
        body = " ".join(p for p in (normalise(x) for x in parts) if p)
        out.append(Document(item_id, normalise(name)[:400], body, code, decision))
    return out


def reindex(conn: sa.Connection, item_ids: Iterable[int]) -> None:
    """Replace the index entries of ``item_ids``."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        conn.execute(_tokens.delete().where(_tokens.c.item_id.in_(chunk)))
        conn.execute(_docs.delete().where(_docs.c.item_id.in_(chunk)))
        _insert(conn, _documents(conn, chunk))


def _insert(conn: sa.Connection, docs: list[Document], tokens_table: sa.TableClause = _tokens) -> None:
    if not docs:
        return
    conn.execute(_docs.insert(), [{"item_id": d.item_id, "name_norm": d.name, "body": d.body} for d in docs])
    if tokens_table is _plain_tokens:
        rows = [{"token": t, "item_id": d.item_id} for d in docs for t in tokens(d.body)]
    else:
        rows = [{"token": t, "name_rank": name_rank(t, d.name), "code": d.code, "decision": d.decision,
                 "item_id": d.item_id} for d in docs for t in tokens(d.body)]
    for start in range(0, len(rows), 20000):
        conn.execute(tokens_table.insert(), rows[start:start + 20000])


def rebuild(conn: sa.Connection) -> int:
    """Re-index every item in batches of ids; returns the number of items indexed."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("item_search_tokens")}
    tokens_table = _tokens if "name_rank" in columns else _plain_tokens
    conn.execute(tokens_table.delete())
    conn.execute(_docs.delete())
    last, n = 0, 0
    while True:
        chunk = list(conn.scalars(sa.select(Item.id).where(Item.id > last).order_by(Item.id).limit(BATCH)))
        if not chunk:
            return n
        _insert(conn, _documents(conn, chunk), tokens_table)
        last, n = chunk[-1], n + len(chunk)


def _touched_item_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    dept_ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Item) and obj.id is not None and obj not in session.deleted:
            ids.add(obj.id)
        elif isinstance(obj, LegalBasis) and obj.item_id is not None:
            ids.add(obj.item_id)
        elif isinstance(obj, Department) and obj in session.dirty and obj.id is not None:
            dept_ids.add(obj.id)
    if dept_ids:
        ids.update(session.connection().scalars(sa.select(Item.id).where(sa.or_(
            Item.competent_department_id.in_(dept_ids), Item.implementing_department_id.in_(dept_ids)))))
    return ids


@event.listens_for(Session, "after_flush")
def _index_after_flush(session: Session, _flush_context) -> None:
    if not any(isinstance(o, (Item, LegalBasis, Department))
               for o in list(session.new) + list(session.dirty) + list(session.deleted)):
        return
    ids = _touched_item_ids(session)
    if ids:
        reindex(session.connection(), ids)
