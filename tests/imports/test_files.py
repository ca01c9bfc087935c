"""Bad files get one clear message, never a crash: every kind the issue names."""
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from registry.imports.parsers import FileRefused, Formula, Limits, read_sheet
from registry.imports.validate import parse_rows
from tests.imports.helpers import HEADERS, csv_bytes, row, xlsx_bytes

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.no_db
DEPTS = {"D01": 1}


DEFAULT_LIMITS = Limits()


def refused(data: bytes, filename="x.xlsx", limits=DEFAULT_LIMITS) -> str:
    with pytest.raises(FileRefused) as exc:
        sheet = read_sheet(data, filename, limits)
        parse_rows(sheet, DEPTS)
    return exc.value.message


def errors_of(data: bytes, filename="x.xlsx"):
    sheet = read_sheet(data, filename, Limits())
    return parse_rows(sheet, DEPTS)


@pytest.mark.parametrize("data,filename,words", [
    (b"%PDF-1.4 some pdf \x00\x01\x02", "report.pdf", "not a readable spreadsheet"),
    (b"PK\x03\x04 this is a broken zip", "items.xlsx", "not a readable spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", "old Excel"),
    (b"", "empty.csv", "empty"),
    (b"   \n\n", "blank.csv", "empty"),
])
def test_not_a_spreadsheet(data, filename, words):
    assert words in refused(data, filename)


def test_password_protected_file_is_named_as_such():
    assert "password-protected" in refused((DATA / "password-protected.xlsx").read_bytes())


def test_a_zip_that_is_no_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "not a readable spreadsheet" in refused(buf.getvalue())


def test_missing_and_wrong_headers():
    assert "Required columns are missing: 事项名称" in refused(
        xlsx_bytes([row("A1", "D01")[:1] + row("A1", "D01")[2:]], [h for h in HEADERS if h != "事项名称"]))
    assert "no known column headers" in refused(csv_bytes([["1", "2"]], ["foo", "bar"]), "x.csv")
    assert "Unknown columns" in refused(xlsx_bytes([row("A1", "D01") + ["x"]], HEADERS + ["奇怪的列"]))
    assert "appear twice" in refused(xlsx_bytes([row("A1", "D01") + ["A1"]], HEADERS + ["事项编码"]))


def test_empty_sheet_and_header_only():
    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    assert "The sheet is empty" in refused(buf.getvalue())
    assert "no data rows" in refused(xlsx_bytes([]))


def test_fifty_megabytes_are_refused_before_reading():
    assert "the limit is 20.0 MB" in refused(b"a,b\n" * (50 * 1024 * 1024 // 4), "big.csv")


def test_a_zip_bomb_is_refused_by_its_uncompressed_size():
    data = xlsx_bytes([row("A1", "D01")])
    assert "holds" in refused(data, limits=Limits(max_unzipped=1000))


def test_a_million_rows_stop_at_the_row_limit():
    """The CSV has 1,000,000 data rows; reading stops at the limit (default 50,000) with a message."""
    body = ("\n".join(f"X{i},n" for i in range(1_000_000))).encode()
    data = ("事项编码,事项名称\n").encode() + body
    assert "more than 50,000 rows" in refused(data, "huge.csv")


def test_a_huge_xlsx_stops_at_the_row_limit():
    """A 200,000-row worksheet (written as raw XML) is streamed and refused at a small configured limit."""
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>X{i}</t></is></c></row>' for i in range(2, 200_002))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>事项编码</t></is></c>'
             f'</row>{rows}</sheetData></worksheet>')
    base = io.BytesIO(xlsx_bytes([row("A1", "D01")]))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, data)
    assert "more than 1,000 rows" in refused(out.getvalue(), limits=Limits(max_rows=1000))


def test_formulas_are_refused_cell_by_cell():
    def put_formula(ws):
        ws["L2"] = "=10+10"
    rows, errors = errors_of(xlsx_bytes([row("A1", "D01")], edit=put_formula))
    assert rows == [] and len(errors) == 1
    assert errors[0].row == 2 and errors[0].column == "L" and "formula" in str(errors[0])


def test_merged_cells_are_refused_with_their_ranges():
    def merge(ws):
        ws.merge_cells("D2:D3")
    message = refused(xlsx_bytes([row("A1", "D01"), row("A2", "D01")], edit=merge))
    assert "merged cells (D2:D3)" in message


def test_dates_typed_as_text_full_width_digits_and_stray_spaces_are_read():
    rows, errors = errors_of(xlsx_bytes([
        row(" Ａ１ ", " D01 ", statutory_days="２０", committed_days=" 15 个工作日 ",
            basis_effective_date="2004年7月1日", category=" 安全健康 ", fee_charged=" 是"),
        row("A2", "d01", statutory_days=20.0, basis_effective_date=datetime(2004, 7, 1)),
        row("A3", "D01", basis_effective_date="2004/7/1", approval_level="district"),
    ]))
    assert errors == []
    first = rows[0].values
    assert first["code"] == "A1" and first["statutory_days"] == 20 and first["committed_days"] == 15
    assert first["basis_effective_date"] == date(2004, 7, 1) and first["fee_charged"] is True
    assert first["competent_department"] == 1
    assert rows[1].values["basis_effective_date"] == rows[2].values["basis_effective_date"] == date(2004, 7, 1)


@pytest.mark.parametrize("overrides,column,words", [
    ({"statutory_days": "二十"}, "L", "not a whole number"),
    ({"statutory_days": ""}, "L", "is required"),
    ({"committed_days": 30}, "M", "exceeds the statutory one"),
    ({"category": "别的"}, "F", "not an allowed value"),
    ({"implementing_department": "D99"}, "E", "no department “D99”"),
    ({"basis_effective_date": "去年夏天"}, "Z", "not a date"),
    ({"basis_issuer_level": ""}, "U", "required unless"),
    ({"fee_charged": "也许"}, "N", "not 是 or 否"),
    ({"code": "X K/1"}, "A", "not a valid code"),
    ({"name": "名" * 201}, "B", "at most 200"),
])
def test_row_errors_name_row_column_and_problem(overrides, column, words):
    rows, errors = errors_of(xlsx_bytes([row("OK1", "D01"), row("BAD1", "D01", **overrides)]))
    assert [r.values["code"] for r in rows] == ["OK1"]
    assert len(errors) == 1
    err = errors[0]
    assert (err.row, err.column) == (3, column) and words in str(err.message)
    assert str(err).startswith(f"Row 3, column {column}")


def test_duplicate_codes_inside_the_file_name_the_first_row():
    _, errors = errors_of(xlsx_bytes([row("A1", "D01"), row("A2", "D01"), row("A1", "D01")]))
    assert len(errors) == 1 and errors[0].row == 4 and "already appears in row 2" in str(errors[0].message)


def test_every_error_is_reported_not_just_the_first():
    _, errors = errors_of(xlsx_bytes([row("A1", "D01", statutory_days="x", category="y"), row("A2", "D99")]))
    assert len(errors) == 4


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(encoding):
    rows, errors = errors_of(csv_bytes([row("A1", "D01")], encoding=encoding), "items.csv")
    assert errors == [] and rows[0].values["name"] == "导入测试事项A1"


def test_formula_marker_and_semicolon_free_csv():
    assert Formula("=1").text == "=1"
    rows, errors = errors_of(csv_bytes([row("A1", "D01", conditions="一；二，三")]), "items.csv")
    assert rows[0].values["conditions"] == "一；二，三", "free text keeps its Chinese punctuation"
