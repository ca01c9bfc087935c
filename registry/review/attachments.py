"""Supporting documents: the type is read from the content (magic bytes, office inner structure)."""
from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from registry.audit.services import record, snapshot
from registry.auth.models import User
from registry.auth.permissions import owns_item
from registry.errors_domain import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db
from registry.review.models import Attachment, Justification, Review, ReviewState

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    media_type: str
    extensions: frozenset[str]


PDF = Kind("application/pdf", frozenset({"pdf"}))
PNG = Kind("image/png", frozenset({"png"}))
JPEG = Kind("image/jpeg", frozenset({"jpg", "jpeg"}))
GIF = Kind("image/gif", frozenset({"gif"}))
TIFF = Kind("image/tiff", frozenset({"tif", "tiff"}))
DOC = Kind("application/msword", frozenset({"doc"}))
XLS = Kind("application/vnd.ms-excel", frozenset({"xls"}))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"}))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"}))
ODT = Kind("application/vnd.oasis.opendocument.text", frozenset({"odt"}))
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", frozenset({"ods"}))
ACCEPTED = (PDF, PNG, JPEG, GIF, TIFF, DOC, XLS, DOCX, XLSX, ODT, ODS)


def _not_accepted() -> ValidationFailed:
    return ValidationFailed(str(_l("This file is not a PDF, image or office document.")), field="file")


def _ole2(data: bytes) -> Kind:
    """Legacy Office files are OLE2 compound files; the stream names (UTF-16) tell Word from Excel."""
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return XLS
    raise _not_accepted()


def _zip(data: bytes) -> Kind:
    """OOXML and OpenDocument files are ZIP archives; only their directory (and ODF's mimetype) is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if info.file_size < 200 else ""
                for kind in (ODT, ODS):
                    if mimetype == kind.media_type:
                        return kind
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    # zipfile raises NotImplementedError for an unsupported compression method and RuntimeError
    # for an encrypted member: both mean "not a document we accept", like a broken archive.
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError):
        pass
    raise _not_accepted()


def sniff(data: bytes) -> Kind:
    """The document kind of ``data`` from its content only, or ValidationFailed."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if data.startswith(OLE2_MAGIC):
        return _ole2(data)
    if data.startswith(b"PK\x03\x04"):
        return _zip(data)
    raise _not_accepted()


def clean_filename(name: str) -> str:
    """The last path component, without control characters; keeps Chinese names."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 250 - len(ext)] + dot + ext) if dot else name[:255]
    return name


def max_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
    return DEFAULT_MAX_BYTES


def _draft_justification(review: Review, actor: User) -> Justification:
    from registry.review.services import save_justification

    latest = review.justifications[-1] if review.justifications else None
    if latest is not None and latest.submitted_at is None:
        return latest
    return save_justification(review, actor=actor, reasons=latest.reasons if latest else "")


def _check_editable(review: Review, actor: User) -> None:
    if not owns_item(actor, review.item):
        raise NotAllowed(str(_l("This item belongs to another department.")))
    if review.state is not ReviewState.draft:
        raise InvalidTransition(str(_l("Attachments can only be changed while the review is a draft.")))


def add_attachment(review: Review, *, actor: User, filename: str, data: bytes, limit: int | None = None) -> Attachment:
    """Attach a document to the review's current justification. Audits ``attachment.create``.

    The type comes from the content; the name must end in an extension of that type.
    """
    _check_editable(review, actor)
    limit = limit or max_bytes()
    if not data:
        raise ValidationFailed(str(_l("The file is empty.")), field="file")
    if len(data) > limit:
        raise ValidationFailed(str(_l("The file is larger than %(mb)s MB.", mb=round(limit / 1024 / 1024, 1))),
                               field="file")
    kind = sniff(data)
    filename = clean_filename(filename)
    ext = filename.rpartition(".")[2].lower() if "." in filename else ""
    if ext not in kind.extensions:
        raise ValidationFailed(str(_l("The file's content does not match its name: rename it to end in .%(ext)s.",
                                      ext=sorted(kind.extensions)[0])), field="file")

    justification = _draft_justification(review, actor)
    att = Attachment(justification=justification, filename=filename, media_type=kind.media_type, size=len(data),
                     sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=actor.id)
    db.session.add(att)
    db.session.flush()
    record("attachment.create", actor=actor, entity=att, changes=snapshot(att))
    return att

