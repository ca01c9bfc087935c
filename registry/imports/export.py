"""The item spreadsheet out: the import template and the registry's items in the import format."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import selectinload

from registry.extensions import db
from registry.imports.columns import COLUMNS, allowed_values, label
from registry.items.models import Department, Item

EXAMPLE = ("XK09999000", "示例：食品经营许可", "", "D01", "D01", "安全健康", "区", "公民、法人或其他组织",
           "有与经营相适应的场所和设施", "申请书、营业执照复印件", "申请—受理—审查—决定", 20, 15, "否", "", "",
           "《食品经营许可证》", "5 年", "", "法律", "国家", "《中华人民共和国食品卫生法》", "全国人大常委会",
           "主席令第59号", "第二十七条", "1995-10-30")


def item_row(item: Item, dept_codes: dict[int, str], parent_codes: dict[int, str]) -> list:
    """One item as a spreadsheet row, in the order of ``COLUMNS`` (re-importing it changes nothing)."""
    basis = item.setting_bases[0] if item.setting_bases else None
    values = {
        "code": item.code, "name": item.name, "parent_code": parent_codes.get(item.parent_id, ""),
        "competent_department": dept_codes[item.competent_department_id],
        "implementing_department": dept_codes[item.implementing_department_id],
        "category": label(item.category), "approval_level": label(item.approval_level),
        "applicant_type": label(item.applicant_type), "conditions": item.conditions, "materials": item.materials,
        "procedure": item.procedure, "statutory_days": item.statutory_days, "committed_days": item.committed_days,
        "fee_charged": "是" if item.fee_charged else "否", "fee_rate": item.fee_rate, "fee_basis": item.fee_basis,
        "licence_document": item.licence_document, "validity": item.validity, "notes": item.notes,
        "basis_instrument_type": label(basis.instrument_type) if basis else "无",
        "basis_issuer_level": label(basis.issuer_level) if basis else "",
        "basis_title": basis.title if basis else "", "basis_issuer": basis.issuer if basis else "",
        "basis_document_number": basis.document_number if basis else "",
        "basis_article": basis.article if basis else "",
        "basis_effective_date": basis.effective_date.isoformat() if basis and basis.effective_date else "",
    }
    return ["" if values[c.field] is None else values[c.field] for c in COLUMNS]


def iter_item_rows(batch: int = 1000, *, release: bool = False) -> Iterator[list]:
    """Every item as a row, read in batches; ``release`` empties the session after each batch (CLI)."""
    dept_codes = dict(db.session.execute(sa.select(Department.id, Department.code)).all())
    parent_codes = dict(db.session.execute(
        sa.select(Item.id, Item.code).where(Item.id.in_(sa.select(Item.parent_id).where(Item.parent_id.is_not(None))))
    ).all())
    last = 0
    while True:
        chunk = db.session.scalars(sa.select(Item).where(Item.id > last).order_by(Item.id).limit(batch)
                                   .options(selectinload(Item.bases))).all()
        if not chunk:
            return
        for item in sorted(chunk, key=lambda i: i.code):
            yield item_row(item, dept_codes, parent_codes)
        last = chunk[-1].id
        if release:
            db.session.expunge_all()


def write_xlsx(fh: IO[bytes], headers: list[str], rows: Iterable[list], *, title: str = "事项",
               help_rows: Iterable[list] | None = None) -> None:
    """A streamed XLSX (openpyxl write-only): bold frozen header, optional second help sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    ws.append([_styled(ws, h, bold) for h in headers])
    for row in rows:
        ws.append([text_cell(ws, v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    if help_rows is not None:
        help_ws = wb.create_sheet("填写说明")
        for row in help_rows:
            help_ws.append(row)
    wb.save(fh)


def text_cell(ws, value: str) -> WriteOnlyCell:
    """Text that starts with "=" stays text: openpyxl would otherwise write it as a formula."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


#: a CSV cell starting with one of these would run as a formula in a spreadsheet program
CSV_FORMULA_START = ("=", "+", "-", "@")


def csv_safe(value):
    """Prefix ``'`` to text a spreadsheet would take for a formula (the import drops it again)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def _styled(ws, value, font):
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def template_help_rows() -> Iterator[list]:
    yield ["列", "必填", "允许的值", "说明"]
    for c in COLUMNS:
        yield [c.header, "是" if c.required else "否", allowed_values(c), c.help]
    yield []
    yield ["导入规则"]
    for line in (
        "每行一个事项；第一行为表头，请勿修改表头文字。",
        "事项编码已存在时更新该事项，否则新增；同一文件内编码不得重复。",
        "先检查全部行：有任何错误时不写入任何数据，并按行、列列出错误。",
        "部门工作人员只能导入本部门的事项；管理员可导入任何部门的事项。",
        "不接受公式、合并单元格和加密文件；全角数字、多余空格会自动规范。",
        "可使用中文名称或括号内的代码填写选项；日期写作 2004-07-01 或 2004年7月1日。",
        "实施依据不在本表中导入，已有的实施依据保持不变。",
    ):
        yield [line]


def write_template(fh: IO[bytes]) -> None:
    write_xlsx(fh, [c.header for c in COLUMNS], [list(EXAMPLE)], help_rows=template_help_rows())


def export_items(fh: IO[bytes], fmt: str, *, release: bool = False) -> int:
    """Every item in the import format, as ``xlsx`` or ``csv`` (UTF-8 with BOM, for Excel). Returns rows."""
    count = 0

    def counted():
        nonlocal count
        for row in iter_item_rows(release=release):
            count += 1
            yield [csv_safe(v) for v in row] if fmt == "csv" else row

    headers = [c.header for c in COLUMNS]
    if fmt == "csv":
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows(counted())
        text.flush()
        text.detach()
    else:
        write_xlsx(fh, headers, counted())
    return count
