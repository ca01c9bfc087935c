"""Checking every row of an item spreadsheet: headers, types, allowed values, cross-field rules."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from registry.imports.columns import BY_FIELD, COLUMNS, FALSE_WORDS, TRUE_WORDS, Column, enum_lookup, label
from registry.imports.parsers import FileRefused, Formula, Sheet, clean_text, column_letter
from registry.items.models import InstrumentType

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
DAY_SUFFIXES = ("个工作日", "工作日", "日", "天")
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class RowError:
    """One problem, located by spreadsheet row and column, with a message in the user's language."""

    row: int | None
    column: str | None  # the column's letter, e.g. "L"
    header: str | None
    message: object  # a lazy string

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        if self.column:
            return str(_l("Row %(row)s, column %(col)s (%(header)s): %(message)s", row=self.row, col=self.column,
                          header=self.header, message=self.message))
        return str(_l("Row %(row)s: %(message)s", row=self.row, message=self.message))


@dataclass(slots=True)
class ParsedRow:
    row: int
    #: values by field name, only for the columns the file has
    values: dict[str, object] = field(default_factory=dict)


def norm_header(text: str) -> str:
    return re.sub(r"\s+", "", clean_text(text)).rstrip("*").lower()


HEADER_INDEX: dict[str, Column] = {}
for _col in COLUMNS:
    for _h in (_col.header, _col.field, *_col.aliases):
        HEADER_INDEX[norm_header(_h)] = _col


def map_headers(headers: list[str]) -> dict[int, Column]:
    """Column index → Column; refuses unknown, duplicate or missing required headers."""
    mapping: dict[int, Column] = {}
    unknown, seen, dupes = [], {}, []
    for i, h in enumerate(headers):
        if not h.strip():
            continue
        col = HEADER_INDEX.get(norm_header(h))
        if col is None:
            unknown.append(f"{column_letter(i)} “{h}”")
        elif col.field in seen:
            dupes.append(col.header)
        else:
            seen[col.field] = i
            mapping[i] = col
    missing = [c.header for c in COLUMNS if c.required and c.field not in seen]
    if missing and not seen:
        raise FileRefused(str(_l("The first row holds no known column headers. Use the import template; its "
                                 "columns are: %(headers)s.", headers="、".join(c.header for c in COLUMNS))))
    if missing:
        raise FileRefused(str(_l("Required columns are missing: %(headers)s.", headers="、".join(missing))))
    if dupes:
        raise FileRefused(str(_l("Columns appear twice: %(headers)s.", headers="、".join(dupes))))
    if unknown:
        raise FileRefused(str(_l("Unknown columns: %(headers)s. Use the headers of the import template.",
                                 headers="、".join(unknown))))
    return mapping


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def convert(col: Column, value, departments: dict[str, int]):
    """The cell's value as the model wants it, or ``CellError`` with a message in words."""
    if isinstance(value, Formula):
        raise CellError(_l("holds a formula (%(formula)s); the import takes no formulas — paste the values "
                           "instead.", formula=value.text[:60]))
    text = _as_text(value)
    if col.type != "text":
        text = clean_text(text)
    if not text:
        if col.required:
            raise CellError(_l("is required."))
        return "" if col.type == "text" else (False if col.type == "bool" else None)
    if col.type == "text":
        if col.max_length and len(text) > col.max_length:
            raise CellError(_l("is %(n)s characters long; at most %(max)s are allowed.", n=len(text),
                               max=col.max_length))
        return text
    if col.type == "code":
        code = re.sub(r"\s+", "", text)
        if len(code) > (col.max_length or 40) or not CODE_RE.match(code):
            raise CellError(_l("“%(value)s” is not a valid code (letters, digits, dots and dashes, at most 40).",
                               value=text[:60]))
        return code
    if col.type == "int":
        return _to_int(value, text)
    if col.type == "bool":
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(_l("“%(value)s” is not 是 or 否.", value=text[:60]))
    if col.type == "date":
        return _to_date(value, text)
    if col.type == "department":
        dept_id = departments.get(text) or departments.get(text.upper())
        if dept_id is None:
            raise CellError(_l("no department “%(value)s” exists; use the code or full name of a registered "
                               "department.", value=text[:60]))
        return dept_id
    member = enum_lookup(col.type).get(text) or enum_lookup(col.type).get(text.lower())
    if member is None:
        allowed = "、".join(label(m) for m in col.type)
        raise CellError(_l("“%(value)s” is not an allowed value; use one of: %(allowed)s.", value=text[:60],
                           allowed=allowed))
    return member


def _to_int(value, text: str) -> int:
    if isinstance(value, bool):
        raise CellError(_l("must be a whole number of working days."))
    if isinstance(value, (int, float)) and float(value).is_integer():
        n = int(value)
    else:
        for suffix in DAY_SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)].strip()
                break
        if not re.fullmatch(r"\d{1,4}(\.0+)?", text):
            raise CellError(_l("“%(value)s” is not a whole number of working days.", value=text[:60]))
        n = int(float(text))
    if n <= 0 or n > 3650:
        raise CellError(_l("must be between 1 and 3650 working days."))
    return n


def _to_date(value, text: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 1 <= value < 80000:  # an Excel serial day number
        return EXCEL_EPOCH + timedelta(days=int(value))
    for pattern in DATE_RES:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise CellError(_l("“%(value)s” is not a date; write it as 2004-07-01 or 2004年7月1日.", value=text[:60]))


def parse_rows(sheet: Sheet, departments: dict[str, int]) -> tuple[list[ParsedRow], list[RowError]]:
    """Convert and check every row (never stops at the first error)."""
    mapping = map_headers(sheet.headers)
    rows, errors = [], []
    first_seen: dict[str, int] = {}
    raw = sheet.rows
    for index in range(len(raw)):
        number, values = raw[index]
        raw[index] = None  # the raw row is not needed once converted
        parsed, ok = ParsedRow(number), True
        for i, col in mapping.items():
            try:
                parsed.values[col.field] = convert(col, values[i] if i < len(values) else None, departments)
            except CellError as exc:
                errors.append(RowError(number, column_letter(i), col.header, exc.message))
                ok = False
        extra = [v for v in values[len(sheet.headers):] if v not in (None, "")]
        if extra:
            errors.append(RowError(number, None, None, _l("has values beyond the last column header.")))
            ok = False
        letter = {c.field: column_letter(i) for i, c in mapping.items()}
        for err in _cross_checks(parsed.values, letter):
            errors.append(RowError(number, *err))
            ok = False
        code = parsed.values.get("code")
        if code:
            if code in first_seen:
                errors.append(RowError(number, letter["code"], BY_FIELD["code"].header,
                                       _l("the code %(code)s already appears in row %(first)s.", code=code,
                                          first=first_seen[code])))
                ok = False
            else:
                first_seen[code] = number
        if ok:
            rows.append(parsed)
    return rows, errors


def _cross_checks(v: dict, letter: dict[str, str]):
    statutory, committed = v.get("statutory_days"), v.get("committed_days")
    if statutory and committed and committed > statutory:
        yield (letter["committed_days"], BY_FIELD["committed_days"].header,
               _l("the committed time limit (%(c)s days) exceeds the statutory one (%(s)s days).", c=committed,
                  s=statutory))
    kind = v.get("basis_instrument_type")
    if isinstance(kind, enum.Enum) and kind is not InstrumentType.none and not v.get("basis_issuer_level") \
            and "basis_issuer_level" in letter:
        yield (letter["basis_issuer_level"], BY_FIELD["basis_issuer_level"].header,
               _l("is required unless the setting basis is “无”."))
    if isinstance(kind, enum.Enum) and kind is not InstrumentType.none and "basis_issuer_level" not in letter:
        yield (letter["basis_instrument_type"], BY_FIELD["basis_instrument_type"].header,
               _l("needs the column “设定依据发布层级” as well."))
    if v.get("parent_code") and v.get("parent_code") == v.get("code"):
        yield (letter["parent_code"], BY_FIELD["parent_code"].header, _l("an item cannot be its own parent."))
