"""Uploaded import files kept between the preview and the confirmation."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from registry.db import Base, UTCDateTime, utcnow


class ImportUpload(Base):
    """A file a user uploaded for import; kept in the database (any app process may confirm it).

    Deleted once confirmed; stale uploads are purged on the next upload.
    """

    __tablename__ = "import_uploads"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the file holds: ``items`` (more kinds may follow)
    kind: Mapped[str] = mapped_column(sa.String(20), default="items")
    filename: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
