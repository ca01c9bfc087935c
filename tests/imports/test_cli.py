"""``registry import items`` and ``registry export items`` (in process, inside the test transaction)."""
import pytest
import sqlalchemy as sa

from registry.auth.models import Role
from registry.cli import cli
from registry.items.models import Item
from tests.imports.helpers import csv_bytes, row, xlsx_bytes


@pytest.fixture
def invoke(app):
    runner = app.test_cli_runner()

    def _invoke(*args):
        return runner.invoke(cli, [str(a) for a in args])

    return _invoke


@pytest.fixture
def dept(create_department):
    return create_department("CLI1", "命令行测试部门")


def count(db, *codes):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code.in_(codes)))


def test_dry_run_writes_nothing_and_the_real_run_writes(invoke, tmp_path, dept, db):
    path = tmp_path / "items.xlsx"
    path.write_bytes(xlsx_bytes([row("CL1", "CLI1"), row("CL2", "CLI1")]))
    result = invoke("import", "items", path, "--dry-run")
    assert result.exit_code == 0 and "2 new" in result.output and "dry run" in result.output
    assert count(db, "CL1", "CL2") == 0
    result = invoke("import", "items", path)
    assert result.exit_code == 0, result.output
    assert count(db, "CL1", "CL2") == 2


def test_row_errors_exit_non_zero_and_name_every_row(invoke, tmp_path, dept, db):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row("CB1", "CLI1"), row("CB2", "CLI1", statutory_days="x"), row("CB3", "NOPE")]))
    result = invoke("import", "items", path)
    assert result.exit_code == 1
    assert "3 errors: nothing was imported" in result.output
    assert "第 3 行" in result.output and "第 4 行" in result.output
    assert count(db, "CB1") == 0


def test_a_bad_file_is_one_clear_line(invoke, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a spreadsheet at all\x00")
    result = invoke("import", "items", path)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_import_as_a_department_user_applies_their_scope(invoke, tmp_path, dept, create_department, create_user, db):
    create_department("CLI2", "别的部门")
    create_user("cli_staff", Role.department_staff, department=dept)
    path = tmp_path / "items.csv"
    path.write_bytes(csv_bytes([row("CS1", "CLI2")]))
    result = invoke("import", "items", path, "--as", "cli_staff")
    assert result.exit_code == 1 and count(db, "CS1") == 0
    assert invoke("import", "items", path, "--as", "nobody").exit_code == 1


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(invoke, tmp_path, create_item, ext):
    create_item("EXP1")
    path = tmp_path / f"all.{ext}"
    result = invoke("export", "items", path)
    assert result.exit_code == 0 and path.stat().st_size > 0
    again = invoke("import", "items", path, "--dry-run")
    assert again.exit_code == 0, again.output
    assert " 0 new, 0 changed" in again.output


def test_export_refuses_an_unknown_extension(invoke, tmp_path):
    assert invoke("export", "items", tmp_path / "x.pdf").exit_code == 1


def test_text_that_looks_like_a_formula_is_exported_as_text(invoke, tmp_path, create_item, db):
    create_item("INJ1", notes="=HYPERLINK(\"http://evil.example\")", fee_rate="-5 元")
    csv_path, xlsx_path = tmp_path / "all.csv", tmp_path / "all.xlsx"
    assert invoke("export", "items", csv_path).exit_code == 0
    assert invoke("export", "items", xlsx_path).exit_code == 0
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig") and ",'-5 元," in csv_path.read_text(
        encoding="utf-8-sig")
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(xlsx_path).worksheets[0].iter_rows() for c in row
             if c.value == "=HYPERLINK(\"http://evil.example\")"]
    assert cells and all(c.data_type == "s" for c in cells)
    again = invoke("import", "items", csv_path, "--dry-run")
    assert again.exit_code == 0 and " 0 changed" in again.output
