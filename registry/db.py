"""Declarative base, naming convention, shared column types and engine set-up."""
from __future__ import annotations

import contextvars
import enum
from datetime import UTC, datetime
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores it naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum stored as its lowercase value, with a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
str40 = Annotated[str, mapped_column(sa.String(40))]
str200 = Annotated[str, mapped_column(sa.String(200))]
text = Annotated[str, mapped_column(sa.Text)]


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# --- SQLite: foreign keys, WAL, busy timeout and real transactions -----------------
# The sqlite3 driver's legacy transaction handling neither emits BEGIN for SELECTs nor
# supports SAVEPOINT properly; this is SQLAlchemy's documented recipe to take over.

_SQLITE_BUSY_TIMEOUT_MS = 15000


#: bytes of the SQLite file read through a memory map (shared OS page cache, no copy per page)
_SQLITE_MMAP_SIZE = 1 << 30


def configure_sqlite(busy_timeout_ms: int, mmap_size: int | None = None) -> None:
    global _SQLITE_BUSY_TIMEOUT_MS, _SQLITE_MMAP_SIZE
    _SQLITE_BUSY_TIMEOUT_MS = busy_timeout_ms
    if mmap_size is not None:
        _SQLITE_MMAP_SIZE = mmap_size


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(_SQLITE_BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # random reads of a large register (search hits, item pages) then cost no read() each
    cursor.execute(f"PRAGMA mmap_size={int(_SQLITE_MMAP_SIZE)}")
    cursor.close()


_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def set_write_intent(value: bool) -> None:
    """Declare whether the current request or command will write.

    On SQLite a writing unit of work starts with ``BEGIN IMMEDIATE``, taking the write lock
    up front: two writers then queue on the busy timeout instead of one failing when it
    upgrades a stale read snapshot. Reads start a plain deferred ``BEGIN``.
    """
    _write_intent.set(value)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")
