"""Plain rows for the public lists and downloads: the columns they show, no ORM objects."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from registry.extensions import db
from registry.items.models import (
    ApprovalLevel,
    BasisKind,
    Decision,
    Department,
    InstrumentType,
    Item,
    ItemCategory,
    LegalBasis,
)


@dataclass(frozen=True, slots=True)
class DepartmentRef:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class BasisRow:
    """A setting basis as lists show it (the fields of ``LegalBasis`` they read)."""

    kind: BasisKind
    instrument_type: InstrumentType
    title: str
    issuer: str
    document_number: str
    article: str
    effective_date: object


@dataclass(slots=True)
class ItemRow:
    """What a list row shows of a published item: plain columns, no ORM object."""

    id: int
    code: str
    name: str
    category: ItemCategory
    approval_level: ApprovalLevel
    fee_charged: bool
    decision: Decision
    decision_reason: str
    decision_published_at: object
    implementing_department: DepartmentRef
    competent_department: DepartmentRef
    setting_bases: list[BasisRow] = field(default_factory=list)


impl, comp = aliased(Department), aliased(Department)
ROW_COLUMNS = (Item.id, Item.code, Item.name, Item.category, Item.approval_level, Item.fee_charged, Item.decision,
                Item.decision_reason, Item.decision_published_at, impl.code, impl.name, comp.code, comp.name)


def load_page(ids: sa.Select, order: list[tuple[sa.ColumnElement, bool]], limit: int, offset: int,
              count: sa.Select | None = None) -> tuple[list[ItemRow], int | None]:
    """A page of list rows with their setting bases (two queries), and the value of ``count``.

    ``ids`` selects the matching items' ids (labelled ``item_id``) and ``order`` gives its sort
    keys as (expression, descending) pairs, the last one unique. The ids are sorted and cut in a
    subquery on narrow rows, then only the page's items and departments are read. ``count``, a
    one-value select, rides along with the rows (``None`` when the page is empty).
    """
    keys = [expr.label(f"k{i}") for i, (expr, _desc) in enumerate(order)]
    page = ids.add_columns(*keys).order_by(*_directed(keys, order)).limit(limit).offset(offset).subquery()
    outer = _directed([page.c[k.name] for k in keys], order)
    extra = [count.scalar_subquery()] if count is not None else []
    found = db.session.execute(
        sa.select(*ROW_COLUMNS, *extra).select_from(page).join(Item, Item.id == page.c.item_id)
        .join(impl, impl.id == Item.implementing_department_id)
        .join(comp, comp.id == Item.competent_department_id).order_by(*outer)
    ).all()
    rows = [ItemRow(*r[:9], DepartmentRef(r[9], r[10]), DepartmentRef(r[11], r[12])) for r in found]
    if rows:
        add_setting_bases({r.id: r for r in rows})
    return rows, (found[0][13] if found and count is not None else None)


def _directed(keys: list, order: list[tuple[sa.ColumnElement, bool]]) -> list:
    return [k.desc() if desc else k for k, (_expr, desc) in zip(keys, order, strict=True)]


@dataclass(slots=True)
class ExportRow(ItemRow):
    """A list row with the Art. 30 details a download adds."""

    conditions: str = ""
    materials: str = ""
    procedure: str = ""
    statutory_days: int | None = None
    committed_days: int | None = None
    fee_rate: str = ""
    fee_basis: str = ""


EXPORT_COLUMNS = (Item.conditions, Item.materials, Item.procedure, Item.statutory_days, Item.committed_days,
                   Item.fee_rate, Item.fee_basis)


def add_setting_bases(rows: dict[int, ItemRow]) -> None:
    for item_id, *basis in db.session.execute(
        sa.select(LegalBasis.item_id, LegalBasis.kind, LegalBasis.instrument_type, LegalBasis.title,
                  LegalBasis.issuer, LegalBasis.document_number, LegalBasis.article, LegalBasis.effective_date)
        .where(LegalBasis.item_id.in_(list(rows)), LegalBasis.kind == BasisKind.setting)
        .order_by(LegalBasis.item_id, LegalBasis.position, LegalBasis.id)
    ):
        rows[item_id].setting_bases.append(BasisRow(*basis))
