"""Officers' reports: legal-check findings, the registry export, a round's announcement."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from registry import seeding
from registry.auth.models import Role
from registry.review.models import ReviewRound

ROUND = "2004 行政许可事项清理"


@pytest.fixture
def seeded(db):
    seeding.seed()
    db.session.flush()
    return db.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == ROUND))


@pytest.fixture
def officer(create_user, login_as):
    return login_as(create_user("rep_officer", Role.legal_officer))


@pytest.mark.parametrize("path", ["/reports/", "/reports/legal-findings", "/reports/registry.xlsx"])
@pytest.mark.parametrize("roles,status", [((), 302), ((Role.department_staff,), 403), ((Role.legal_officer,), 200),
                                          ((Role.approver,), 200), ((Role.admin,), 200)])
def test_reports_are_for_officers_approvers_and_admins(client, login_as, create_user, path, roles, status):
    if roles:
        login_as(create_user(None, *roles))
    assert client.get(path).status_code == status


def test_findings_report_lists_every_item_with_findings(client, seeded, officer):
    page = client.get("/reports/legal-findings?as_of=2004-06-30", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert "149 items with findings." in html
    assert 'data-rule="art17_own_normative_document"' in html
    errors_only = client.get("/reports/legal-findings?as_of=2004-06-30&severity=error").get_data(as_text=True)
    assert 'data-rule="art17_no_basis"' in errors_only and errors_only.count("<tr>") < html.count("<tr>")


def test_registry_export_has_reviews_and_findings(client, seeded, officer):
    resp = client.get("/reports/registry.xlsx?as_of=2004-06-30", headers={"Accept-Language": "en"})
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(resp.data), read_only=True).worksheets[0].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 220 and header[-1] == "Legal-check findings" and "Review state" in header
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert by_code["XK00001000"]["Suggested decision"] == "keep (Art. 14)"
    assert by_code["XK00001000"]["Round"] == ROUND
    assert sum(1 for r in by_code.values() if r["Legal-check findings"]) == 149


def test_announcement_page_and_xlsx_list_retained_and_abolished_items_with_their_basis(client, seeded, officer):
    html = client.get(f"/reports/rounds/{seeded.id}/announcement", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Retained items (90)" in html and "Abolished items (18)" in html and "print.css" in html
    assert "《粮食流通管理条例》" in html
    wb = load_workbook(io.BytesIO(client.get(f"/reports/rounds/{seeded.id}/announcement.xlsx",
                                             headers={"Accept-Language": "en"}).data), read_only=True)
    sizes = {ws.title: sum(1 for _ in ws.iter_rows()) - 2 for ws in wb.worksheets}
    assert sizes == {"Retained items": 90, "Abolished items": 18, "Pending alignment": 112}


def test_an_unpublished_round_has_no_announcement(client, officer, create_round):
    rnd = create_round()
    assert client.get(f"/reports/rounds/{rnd.id}/announcement").status_code == 404
    assert client.get(f"/reports/rounds/{rnd.id}/announcement.xlsx").status_code == 404
