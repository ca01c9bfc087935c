"""Higher-level item lists (上级清单) that pending local items are aligned to."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, UTCDateTime, enum_column, utcnow
from registry.items.models import Decision, Item


class ListLevel(enum.Enum):
    state_council = "state_council"
    ministry = "ministry"
    province = "province"
    city = "city"


class HigherLevelItem(Base):
    """One row of a versioned higher-level list."""

    __tablename__ = "higher_level_items"
    __table_args__ = (sa.UniqueConstraint("source_list", "list_version", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the list's name, e.g. "某省保留行政许可项目目录"
    source_list: Mapped[str] = mapped_column(sa.String(200), index=True)
    #: the list's version label, e.g. "2004"; a re-import adds a new version
    list_version: Mapped[str] = mapped_column(sa.String(40))
    level: Mapped[ListLevel] = mapped_column(enum_column(ListLevel, "list_level"))
    code: Mapped[str] = mapped_column(sa.String(40), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    department: Mapped[str] = mapped_column(sa.String(200), default="")
    basis: Mapped[str] = mapped_column(sa.Text, default="")
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "higher_decision"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MatchMethod(enum.Enum):
    code = "code"  # same item code
    name = "name"  # similar normalised name


class AlignmentMatch(Base):
    """An officer's confirmation that a local item corresponds to a higher-level list item."""

    __tablename__ = "alignment_matches"
    __table_args__ = (sa.UniqueConstraint("item_id", "higher_level_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    higher_level_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("higher_level_items.id", ondelete="RESTRICT"), index=True
    )
    method: Mapped[MatchMethod] = mapped_column(enum_column(MatchMethod, "match_method"))
    #: similarity 0..1 when the match was made (1 for the same code)
    score: Mapped[float] = mapped_column(sa.Float)
    #: the review reopened and proposed through the workflow (None if nothing could be proposed)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id", ondelete="RESTRICT"), index=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()
    higher_level_item: Mapped[HigherLevelItem] = relationship()
