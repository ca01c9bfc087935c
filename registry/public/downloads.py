"""CSV and XLSX downloads of the public lists: the same filters, streamed, no row cap.

Rows come from ``queries.iter_items`` (plain rows in keyset batches, no ORM objects), so
memory stays constant whatever the size of the register. CSV is written row by row to the client; XLSX is built by
openpyxl's write-only workbook in a temporary file (rows never accumulate in memory) and
then streamed from that file in chunks.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime

from flask import Response, current_app, request, stream_with_context
from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l

from registry.items.models import Decision
from registry.public import caching, labels, queries, rows
from registry.public.forms import parse_filters
from registry.public.views import bp

CHUNK = 64 * 1024
DECISIONS = ("keep", "abolish", "pending", "all")

COLUMNS = (
    ("code", _l("Code")), ("name", _l("Name")), ("department", _l("Implementing department")),
    ("competent", _l("Competent department")), ("category", _l("Category")),
    ("level", _l("Approval level")), ("decision", _l("Decision")), ("decided", _l("Decision date")),
    ("reason", _l("Reason")), ("basis", _l("Setting basis")), ("conditions", _l("Conditions")),
    ("materials", _l("Application materials")), ("procedure", _l("Procedure")),
    ("statutory_days", _l("Statutory time limit (working days)")),
    ("committed_days", _l("Committed time limit (working days)")), ("fee", _l("Fee charged")),
    ("fee_rate", _l("Fee rate")), ("fee_basis", _l("Fee basis")), ("url", _l("Permanent link")),
)


def basis_text(item: rows.ItemRow) -> str:
    return "；".join(" ".join(p for p in (b.title, b.document_number, b.article) if p) for b in item.setting_bases)


class _Formats:
    """Labels, yes/no and dates in the request's language, each translated or formatted once."""

    def __init__(self):
        self.labels = labels.all_labels()
        self.yes_no = {True: gettext("Yes"), False: gettext("No")}
        self._dates: dict = {}

    def date(self, value) -> str:
        if value is None:
            return ""
        if value not in self._dates:
            self._dates[value] = format_date(value)
        return self._dates[value]


def row_values(item: rows.ExportRow, base_url: str, fmt: _Formats) -> list:
    """One row; the Art. 30 details only for retained items (the public list shows no more)."""
    kept = item.decision is Decision.keep
    lab = fmt.labels
    return [
        item.code, item.name, item.implementing_department.name, item.competent_department.name,
        lab["category"][item.category], lab["approval_level"][item.approval_level], lab["decision"][item.decision],
        fmt.date(item.decision_published_at), item.decision_reason, basis_text(item),
        item.conditions if kept else "", item.materials if kept else "", item.procedure if kept else "",
        item.statutory_days if kept else "", (item.committed_days or "") if kept else "",
        fmt.yes_no[bool(item.fee_charged)] if kept else "",
        item.fee_rate if kept else "", item.fee_basis if kept else "",
        f"{base_url}/items/{item.code}",
    ]


def _safe_cell(value):
    """Keep spreadsheet formulas out: a text cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _rows(filters: queries.ItemFilters) -> Iterator[list]:
    base, fmt = request.host_url.rstrip("/"), _Formats()
    for item in queries.iter_items(filters):
        yield [_safe_cell(v) for v in row_values(item, base, fmt)]


def _headers() -> list[str]:
    return [str(label) for _k, label in COLUMNS]


def _download(kind: str, mimetype: str, body_factory) -> Response:
    filters = parse_filters(request.args, decisions=DECISIONS)
    etag, last_modified = queries.data_version()
    variant = hashlib.sha256(f"{kind}|{get_locale()}|{request.query_string!r}".encode()).hexdigest()[:16]
    etag = f"{etag}-{variant}"
    headers = {"Cache-Control": "public, max-age=300", "Vary": "Accept-Language, Cookie"}
    if caching.not_modified(etag, last_modified):
        resp = Response(status=304, headers=headers)
        resp.set_etag(etag)
        return resp
    stamp = datetime.now().strftime("%Y%m%d")
    resp = Response(stream_with_context(body_factory(filters)), mimetype=mimetype, headers=headers)
    resp.headers["Content-Disposition"] = f'attachment; filename="licensing-items-{stamp}.{kind}"'
    resp.set_etag(etag)
    if last_modified is not None:
        resp.last_modified = last_modified
    return resp


class _Line(io.StringIO):
    def pop(self) -> str:
        value = self.getvalue()
        self.seek(0)
        self.truncate()
        return value


def _csv_body(filters: queries.ItemFilters) -> Iterator[bytes]:
    buf = _Line()
    writer = csv.writer(buf)
    writer.writerow(_headers())
    yield ("\ufeff" + buf.pop()).encode("utf-8")  # a BOM: spreadsheet programs then read UTF-8
    pending = []
    for row in _rows(filters):
        writer.writerow(row)
        pending.append(buf.pop())
        if len(pending) >= 200:
            yield "".join(pending).encode("utf-8")
            pending = []
    if pending:
        yield "".join(pending).encode("utf-8")


def _xlsx_body(filters: queries.ItemFilters) -> Iterator[bytes]:
    from openpyxl import Workbook

    fd, path = tempfile.mkstemp(prefix="registry-export-", suffix=".xlsx")
    os.close(fd)
    try:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title="items")
        ws.append(_headers())
        for row in _rows(filters):
            ws.append(row)
        wb.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        try:
            os.unlink(path)
        except OSError:
            current_app.logger.warning("could not remove %s", path)


@bp.get("/items.csv")
def items_csv():
    """The current list (same filters as the page) as CSV, streamed."""
    return _download("csv", "text/csv", _csv_body)


@bp.get("/items.xlsx")
def items_xlsx():
    """The current list (same filters as the page) as an Excel workbook, streamed."""
    return _download("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx_body)
