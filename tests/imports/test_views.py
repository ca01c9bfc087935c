"""The import pages: template, upload, preview in the user's language, confirm, permissions."""
import io

import pytest
import sqlalchemy as sa
from flask import g
from flask_babel import refresh
from openpyxl import load_workbook

from registry.auth.models import Role
from registry.imports.models import ImportUpload
from registry.items.models import Item
from tests.imports.helpers import HEADERS, row, xlsx_bytes


@pytest.fixture
def staff(create_department, create_user):
    dept = create_department("VIEW1", "页面测试部门")
    return create_user("view_staff", Role.department_staff, department=dept)


def upload(client, data, name="items.xlsx"):
    return client.post("/imports/items", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_template_has_chinese_headers_and_a_help_sheet(client, login_as, staff):
    login_as(staff)
    resp = client.get("/imports/items/template.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data), read_only=True)
    first, help_sheet = wb.worksheets
    assert [c.value for c in next(first.iter_rows(max_row=1))] == HEADERS
    texts = [r[0] for r in help_sheet.iter_rows(values_only=True) if r]
    assert "许可类别" in texts and any("安全健康（safety_health）" in (r[2] or "") for r in help_sheet.iter_rows(
        values_only=True) if len(r) > 2)


def test_upload_preview_confirm_writes_everything_once(client, login_as, staff, db):
    login_as(staff)
    resp = upload(client, xlsx_bytes([row("V1", "VIEW1"), row("V2", "VIEW1")]))
    assert resp.status_code == 302
    preview_url = resp.headers["Location"]
    page = client.get(preview_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="count-new">2<' in page and "Confirm the import" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code.in_(["V1", "V2"]))) == 0
    upload_row = db.session.scalar(sa.select(ImportUpload).order_by(ImportUpload.id.desc()))
    resp = client.post(preview_url + "/confirm", data={"sha256": upload_row.sha256})
    assert resp.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code.in_(["V1", "V2"]))) == 2
    assert client.get(preview_url).status_code == 404, "a confirmed upload is gone"


def test_errors_are_listed_in_the_users_language_and_nothing_can_be_confirmed(client, login_as, staff, db):
    login_as(staff)
    preview_url = upload(client, xlsx_bytes([row("E1", "VIEW1"), row("E2", "VIEW1", statutory_days="二十")])
                         ).headers["Location"]
    en = client.get(preview_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "is not a whole number of working days" in en and "Confirm the import" not in en
    refresh()  # the test's app context outlives requests; drop Flask-Babel's cached locale
    zh = client.get(preview_url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "不是整数" in zh and "法定办结时限（工作日）" in zh
    sha = db.session.scalar(sa.select(ImportUpload.sha256).order_by(ImportUpload.id.desc()))
    assert client.post(preview_url + "/confirm", data={"sha256": sha}).status_code == 422
    assert db.session.scalar(sa.select(Item).where(Item.code == "E1")) is None


def test_a_bad_file_gets_a_message_not_a_500(client, login_as, staff):
    login_as(staff)
    preview_url = upload(client, b"%PDF-1.4\x00\x01", "scan.pdf").headers["Location"]
    resp = client.get(preview_url, headers={"Accept-Language": "en"})
    assert resp.status_code == 422 and "not a readable spreadsheet" in resp.get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused_at_upload(client, login_as, staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1000)
    login_as(staff)
    resp = upload(client, b"x" * 5000, "big.csv")
    assert resp.status_code == 413


def test_someone_elses_upload_is_not_found(client, login_as, staff, create_user):
    login_as(staff)
    preview_url = upload(client, xlsx_bytes([row("O1", "VIEW1")])).headers["Location"]
    g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login caches the user
    login_as(create_user("view_admin", Role.admin))
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url + "/confirm", data={"sha256": "x"}).status_code == 404


def test_confirming_a_different_file_than_previewed_is_refused(client, login_as, staff):
    login_as(staff)
    preview_url = upload(client, xlsx_bytes([row("D1", "VIEW1")])).headers["Location"]
    assert client.post(preview_url + "/confirm", data={"sha256": "0" * 64}).status_code == 400


@pytest.mark.parametrize("roles,status", [((), 302), ((Role.legal_officer,), 403), ((Role.approver,), 403),
                                          ((Role.admin,), 200), ((Role.department_staff,), 200)])
def test_who_may_open_the_import_page(client, login_as, create_user, roles, status):
    if roles:
        login_as(create_user(None, *roles))
    assert client.get("/imports/items").status_code == status


def test_the_preview_names_what_changes_by_column(client, login_as, staff, db):
    login_as(staff)
    data = xlsx_bytes([row("CH1", "VIEW1")])
    client.post(upload(client, data).headers["Location"] + "/confirm",
                data={"sha256": db.session.scalar(sa.select(ImportUpload.sha256).order_by(ImportUpload.id.desc()))})
    changed = upload(client, xlsx_bytes([row("CH1", "VIEW1", committed_days=12, basis_article="第九条")]))
    html = client.get(changed.headers["Location"]).get_data(as_text=True)
    assert 'id="count-changed">1<' in html and "CH1 — 承诺办结时限（工作日）、设定依据" in html
