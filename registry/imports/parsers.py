"""Reading uploaded spreadsheets (XLSX in openpyxl read-only mode, or CSV) into plain rows.

Every problem with the file as a whole raises ``FileRefused`` with a message in the user's
language; nothing is ever half read. Rows are streamed and counted, and reading stops as
soon as the configured row limit is passed, so a huge file cannot exhaust memory.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from registry.errors_domain import ValidationFailed

DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: largest total uncompressed size of an XLSX (guards against zip bombs)
DEFAULT_MAX_UNZIPPED = 400 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


class FileRefused(ValidationFailed):
    """The file as a whole cannot be imported (not a spreadsheet, too big, wrong headers …)."""


class Formula:
    """Stands for a cell holding a formula: the import refuses formulas (it never guesses values)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"<Formula {self.text}>"


@dataclass
class Sheet:
    headers: list[str]
    #: (spreadsheet row number, cell values) for every non-empty data row
    rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_unzipped: int = DEFAULT_MAX_UNZIPPED

    @classmethod
    def from_config(cls, config) -> Limits:
        """From the app config, else the environment (IMPORT_MAX_ROWS, IMPORT_MAX_BYTES, IMPORT_MAX_UNZIPPED)."""
        def get(key: str, default: int) -> int:
            return int(config.get(key) or os.environ.get(key) or default)

        return cls(get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS), get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES),
                   get("IMPORT_MAX_UNZIPPED", DEFAULT_MAX_UNZIPPED))


def clean_text(value: str) -> str:
    """NFKC (full-width digits and letters become ASCII), no stray or non-breaking spaces."""
    value = unicodedata.normalize("NFKC", value).replace("\u200b", "").replace("\ufeff", "")
    return value.strip()


def strip_text(value: str) -> str:
    """Free text keeps its characters (Chinese punctuation stays full-width); only the ends are trimmed.

    A leading ``'`` before = + - @ (how exports keep such text from running as a formula) is dropped.
    """
    value = value.replace("\u200b", "").replace("\ufeff", "").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _clean(value):
    if isinstance(value, str):
        return strip_text(value)
    return value


def _is_empty(values) -> bool:
    return all(v is None or v == "" for v in values)


def read_sheet(data: bytes, filename: str, limits: Limits) -> Sheet:
    """The first worksheet of an XLSX file, or a CSV file, as headers and rows."""
    if len(data) > limits.max_bytes:
        raise FileRefused(str(_l("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.",
                                 size=round(len(data) / 1048576, 1), limit=round(limits.max_bytes / 1048576, 1))))
    if not data.strip():
        raise FileRefused(str(_l("The file is empty.")))
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise FileRefused(str(_l("The file is password-protected. Remove the password and upload it again.")))
        raise FileRefused(str(_l("This is an old Excel (.xls) file. Save it as .xlsx or CSV and upload it again.")))
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise FileRefused(str(_l("The file is not a readable spreadsheet. Upload an .xlsx or CSV file.")))
    return _read_csv(data, limits)


def _too_many(limits: Limits):
    most = format(limits.max_rows, ",")
    return FileRefused(str(_l("The file has more than %(n)s rows, the most one import takes. Split it into smaller "
                              "files.", n=most)))


def _read_xlsx(data: bytes, limits: Limits) -> Sheet:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused(str(_l("The file is not a readable spreadsheet. Upload an .xlsx or CSV file."))) from None
    if unzipped > limits.max_unzipped:
        raise FileRefused(str(_l("The file holds %(size)s MB of data; the limit is %(limit)s MB. Split it into "
                                 "smaller files.", size=unzipped // 1048576, limit=limits.max_unzipped // 1048576)))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for broken or foreign zips
        raise FileRefused(str(_l("The file is not a readable spreadsheet. Upload an .xlsx or CSV file."))) from None
    try:
        if not wb.worksheets:
            raise FileRefused(str(_l("The file has no worksheet.")))
        ws = wb.worksheets[0]
        merged = _merged_ranges(wb, ws)
        if merged:
            raise FileRefused(str(_l("The sheet has merged cells (%(ranges)s). Unmerge them and fill in every cell.",
                                     ranges=", ".join(merged[:10]))))
        return _collect(_xlsx_rows(ws), limits)
    finally:
        wb.close()


def _merged_ranges(wb, ws) -> list[str]:
    """Merged ranges of the sheet, read by scanning its XML (read-only mode does not parse them)."""
    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if not path or archive is None:
        return []
    found, tail = [], b""
    with archive.open(path) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            found.extend(m.decode() for m in MERGE_RE.findall(buf))
            tail = buf[-200:]
            if len(found) > 50:
                break
    return list(dict.fromkeys(found))


def _xlsx_rows(ws):
    """Cell values row by row. In read-only mode (data_only=False) a formula cell reads as its
    formula text starting with "="; Excel stores a typed "=" text only with a quote prefix."""
    for row in ws.iter_rows(values_only=True):
        yield [Formula(v) if isinstance(v, str) and v.startswith("=") and len(v) > 1 else _clean(v) for v in row]


def _collect(rows, limits: Limits) -> Sheet:
    headers = None
    sheet = Sheet(headers=[])
    for number, values in enumerate(rows, start=1):
        if headers is None:
            if _is_empty(values):
                continue
            headers = ["" if v is None else str(v) for v in values]
            while headers and not headers[-1]:
                headers.pop()
            sheet.headers = headers
            header_row = number
            continue
        if _is_empty(values):
            continue
        if len(sheet.rows) >= limits.max_rows:
            raise _too_many(limits)
        sheet.rows.append((number, values))
    if headers is None:
        raise FileRefused(str(_l("The sheet is empty: no header row and no data.")))
    if not sheet.rows:
        raise FileRefused(str(_l("The sheet has a header row (row %(n)s) but no data rows.", n=header_row)))
    return sheet


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (Excel's "CSV" on a Chinese Windows)."""
    if b"\x00" in data[:8192]:
        raise FileRefused(str(_l("The file is not a readable spreadsheet. Upload an .xlsx or CSV file.")))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return codecs.decode(data, "gb18030")
    except UnicodeDecodeError:
        raise FileRefused(str(_l("The file's text encoding is neither UTF-8 nor GB18030."))) from None


def _read_csv(data: bytes, limits: Limits) -> Sheet:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    dialect = csv.excel_tab if first_line.count("\t") > first_line.count(",") else csv.excel
    try:
        rows = ([_clean(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), dialect))
        return _collect(rows, limits)
    except csv.Error:
        raise FileRefused(str(_l("The file is not a readable spreadsheet. Upload an .xlsx or CSV file."))) from None


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


__all__ = ["FileRefused", "Formula", "Limits", "Sheet", "read_sheet", "clean_text", "column_letter",
           "date", "datetime"]
