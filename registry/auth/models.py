"""Users, their roles and their API tokens."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, enum_column, utcnow
from registry.items.models import Department


class Role(enum.Enum):
    department_staff = "department_staff"
    legal_officer = "legal_officer"
    approver = "approver"
    admin = "admin"


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: required for department staff (checked by auth.services.create_user)
    department_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: bumped on logout and password change; sessions carry it, so old cookies die
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    department: Mapped[Department | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return any(r.role in roles for r in self.role_rows)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(Base):
    """A per-user bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: the token's first characters, shown to tell tokens apart (not enough to use it)
    prefix: Mapped[str] = mapped_column(sa.String(16), default="", server_default="", index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
