"""Review rounds, per-item reviews, justifications, attachments and comments."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from registry.auth.models import User
from registry.db import Base, TimestampMixin, UTCDateTime, enum_column, utcnow
from registry.items.models import Decision, Item


class RoundState(enum.Enum):
    open = "open"
    closed = "closed"
    published = "published"


class ReviewState(enum.Enum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    proposed = "proposed"
    decided = "decided"
    published = "published"


class CommentKind(enum.Enum):
    note = "note"
    question = "question"
    return_reason = "return_reason"
    send_back_reason = "send_back_reason"
    answer = "answer"


class ReviewRound(TimestampMixin, Base):
    """A cleanup campaign (清理批次), e.g. "2004 行政许可事项清理"."""

    __tablename__ = "review_rounds"
    __table_args__ = (sa.CheckConstraint("year BETWEEN 1949 AND 2200", name="year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    year: Mapped[int]
    state: Mapped[RoundState] = mapped_column(enum_column(RoundState, "round_state"), default=RoundState.open)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    reviews: Mapped[list[Review]] = relationship(back_populates="round")

    def __repr__(self) -> str:
        return f"<ReviewRound {self.name}>"


class Review(TimestampMixin, Base):
    """One item's case (审查案卷) in one round; holds the workflow state."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "round_id"),
        sa.CheckConstraint(
            "approver_id IS NULL OR proposer_id IS NULL OR approver_id <> proposer_id", name="four_eyes"
        ),
        sa.CheckConstraint(
            "proposed_decision IS NULL OR proposed_decision <> 'pending' OR pending_on IS NOT NULL",
            name="pending_names_what_it_waits_on",
        ),
        sa.CheckConstraint(
            "state NOT IN ('decided', 'published') OR final_decision IS NOT NULL",
            name="decided_has_decision",
        ),
        sa.CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("review_rounds.id", ondelete="RESTRICT"), index=True)
    state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState, "review_state"), default=ReviewState.draft, index=True
    )
    proposed_decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "proposed_decision"))
    final_decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "final_decision"))
    #: the proposer's reason; becomes the public reason when published
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: for a pending decision: the higher-level body or list it waits on
    pending_on: Mapped[str | None] = mapped_column(sa.String(300))
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: optimistic-locking counter, bumped by every update
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    item: Mapped[Item] = relationship()
    round: Mapped[ReviewRound] = relationship(back_populates="reviews")
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    justifications: Mapped[list[Justification]] = relationship(
        back_populates="review", order_by="Justification.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="review", order_by="Comment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Review {self.id} item={self.item_id} round={self.round_id} {self.state.value}>"


class Justification(TimestampMixin, Base):
    """What a department submits for its item in a review (申报理由)."""

    __tablename__ = "justifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    review: Mapped[Review] = relationship(back_populates="justifications")
    author: Mapped[User] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="justification", order_by="Attachment.id", cascade="all, delete-orphan"
    )


class Attachment(Base):
    """A supporting document; its bytes live in the database."""

    __tablename__ = "attachments"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    justification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("justifications.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    justification: Mapped[Justification] = relationship(back_populates="attachments")


class Comment(Base):
    """A question, return reason, send-back reason, answer or note (审查意见)."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[CommentKind] = mapped_column(enum_column(CommentKind, "comment_kind"), default=CommentKind.note)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[Review] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()
