"""Building import spreadsheets in tests."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from registry.imports.columns import COLUMNS

HEADERS = [c.header for c in COLUMNS]
FIELDS = [c.field for c in COLUMNS]


def row(code: str, dept: str, /, **overrides) -> list:
    values = {
        "code": code, "name": f"导入测试事项{code}", "parent_code": "", "competent_department": dept,
        "implementing_department": dept, "category": "安全健康", "approval_level": "区",
        "applicant_type": "公民、法人或其他组织", "conditions": "有相应场所；有管理制度。", "materials": "申请书",
        "procedure": "申请—受理—决定", "statutory_days": 20, "committed_days": 15, "fee_charged": "否",
        "fee_rate": "", "fee_basis": "", "licence_document": "《许可证》", "validity": "3 年", "notes": "",
        "basis_instrument_type": "行政法规", "basis_issuer_level": "国家", "basis_title": "《某某管理条例》",
        "basis_issuer": "国务院", "basis_document_number": "国务院令第1号", "basis_article": "第八条",
        "basis_effective_date": "2003-01-01",
    }
    values.update(overrides)
    return [values[f] for f in FIELDS]


def xlsx_bytes(rows, headers=HEADERS, *, edit=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "事项"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    if edit:
        edit(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8") -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)
