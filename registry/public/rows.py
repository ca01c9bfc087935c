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


def load_items(ids: list[int]) -> list[ItemRow]:
    """The list rows of items ``ids``, in that order, with their setting bases (two queries)."""
    if not ids:
        return []
    found = {}
    for r in db.session.execute(
        sa.select(*ROW_COLUMNS).join(impl, impl.id == Item.implementing_department_id)
        .join(comp, comp.id == Item.competent_department_id).where(Item.id.in_(ids))
    ):
        found[r[0]] = ItemRow(*r[:9], DepartmentRef(r[9], r[10]), DepartmentRef(r[11], r[12]))
    add_setting_bases(found)
    return [found[i] for i in ids if i in found]


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
