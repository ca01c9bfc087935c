"""Departments, licensing items and their legal bases."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, enum_column


class DepartmentKind(enum.Enum):
    department = "department"  # 区级部门
    township = "township"  # 乡镇
    street = "street"  # 街道


class ItemCategory(enum.Enum):
    """The six kinds of matter that Art. 12 allows to be licensed."""

    safety_health = "safety_health"  # 12(1) security, safety, environment, health
    public_resources = "public_resources"  # 12(2) limited resources, public-interest entry
    qualification = "qualification"  # 12(3) qualifications for special trust or skills
    inspection = "inspection"  # 12(4) equipment and products checked against standards
    establishment = "establishment"  # 12(5) establishment of enterprises and organisations
    statutory_other = "statutory_other"  # 12(6) other matters a law or regulation names


class ApprovalLevel(enum.Enum):
    state = "state"
    province = "province"
    city = "city"
    district = "district"
    township = "township"


class ApplicantType(enum.Enum):
    citizen = "citizen"
    organisation = "organisation"
    both = "both"


class Decision(enum.Enum):
    keep = "keep"  # 保留
    abolish = "abolish"  # 取消
    pending = "pending"  # 待与上级对接


class BasisKind(enum.Enum):
    setting = "setting"  # 设定依据
    implementing = "implementing"  # 实施依据


class InstrumentType(enum.Enum):
    """Legal instruments, strongest first (the order the legal check relies on)."""

    law = "law"
    administrative_regulation = "administrative_regulation"
    state_council_decision = "state_council_decision"
    local_regulation = "local_regulation"
    provincial_rule = "provincial_rule"
    ministry_rule = "ministry_rule"
    city_rule = "city_rule"
    normative_document = "normative_document"
    none = "none"


class IssuerLevel(enum.Enum):
    national = "national"
    provincial = "provincial"
    city = "city"
    district = "district"  # this government itself


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    kind: Mapped[DepartmentKind] = mapped_column(enum_column(DepartmentKind, "department_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    #: departments are retired, never deleted: items and users keep pointing at them
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    parent: Mapped[Department | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Department {self.code} {self.name}>"


class Item(TimestampMixin, Base):
    """A licensing item (行政许可事项) or, with a parent, a sub-item (子项)."""

    __tablename__ = "items"
    __table_args__ = (
        sa.CheckConstraint("statutory_days > 0", name="statutory_days_positive"),
        sa.CheckConstraint(
            "committed_days IS NULL OR (committed_days > 0 AND committed_days <= statutory_days)",
            name="committed_within_statutory",
        ),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: unique and never reused: items are retired, never deleted
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    competent_department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    implementing_department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    category: Mapped[ItemCategory] = mapped_column(enum_column(ItemCategory, "item_category"), index=True)
    approval_level: Mapped[ApprovalLevel] = mapped_column(
        enum_column(ApprovalLevel, "approval_level"), index=True
    )
    applicant_type: Mapped[ApplicantType] = mapped_column(enum_column(ApplicantType, "applicant_type"))
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    materials: Mapped[str] = mapped_column(sa.Text, default="")
    procedure: Mapped[str] = mapped_column(sa.Text, default="")
    #: working days (Art. 42 default 20)
    statutory_days: Mapped[int] = mapped_column(default=20)
    #: working days the department commits to; never above statutory_days
    committed_days: Mapped[int | None]
    fee_charged: Mapped[bool] = mapped_column(default=False, index=True)
    fee_rate: Mapped[str] = mapped_column(sa.String(200), default="")
    #: a law or administrative regulation that allows the fee (Art. 58)
    fee_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    licence_document: Mapped[str] = mapped_column(sa.String(200), default="")
    validity: Mapped[str] = mapped_column(sa.String(100), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: the current PUBLISHED decision; NULL until a round publishes one (then public)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "item_decision"), index=True)
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decision_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: optimistic-locking counter, bumped by every update
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    parent: Mapped[Item | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Item]] = relationship(back_populates="parent", order_by="Item.code")
    competent_department: Mapped[Department] = relationship(foreign_keys=[competent_department_id])
    implementing_department: Mapped[Department] = relationship(foreign_keys=[implementing_department_id])
    bases: Mapped[list[LegalBasis]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="LegalBasis.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def setting_bases(self) -> list[LegalBasis]:
        return [b for b in self.bases if b.kind is BasisKind.setting]

    @property
    def implementing_bases(self) -> list[LegalBasis]:
        return [b for b in self.bases if b.kind is BasisKind.implementing]

    def __repr__(self) -> str:
        return f"<Item {self.code} {self.name}>"


class LegalBasis(Base):
    """One instrument and article that sets (设定) or implements (实施) an item."""

    __tablename__ = "legal_bases"
    __table_args__ = (
        sa.CheckConstraint(
            "(instrument_type = 'none') OR (issuer_level IS NOT NULL)", name="issuer_level_given"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BasisKind] = mapped_column(enum_column(BasisKind, "basis_kind"))
    instrument_type: Mapped[InstrumentType] = mapped_column(
        enum_column(InstrumentType, "instrument_type"), index=True
    )
    #: which level of government issued it; ``district`` means this government itself
    issuer_level: Mapped[IssuerLevel | None] = mapped_column(enum_column(IssuerLevel, "issuer_level"))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    issuer: Mapped[str] = mapped_column(sa.String(200), default="")
    document_number: Mapped[str] = mapped_column(sa.String(100), default="")
    article: Mapped[str] = mapped_column(sa.String(200), default="")
    effective_date: Mapped[date | None]
    #: display order within the item
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship(back_populates="bases")

    def __repr__(self) -> str:
        return f"<LegalBasis {self.kind.value} {self.instrument_type.value} {self.title}>"
