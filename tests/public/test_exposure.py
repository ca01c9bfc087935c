"""What the public must never see, and what it must only ever see as text."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from registry.items.models import Decision, InstrumentType, IssuerLevel
from tests.factories import law_basis
from tests.public.conftest import DRAFT_NAME

PUBLIC_PATHS = [
    "/", "/items", "/abolished", "/pending", "/statistics", "/open-data", "/feed.atom",
    "/items.csv?decision=all", "/items.xlsx?decision=all",
    "/api/v1/items?decision=all&per_page=100", "/api/v1/departments", "/api/v1/stats",
    "/items/XK0001", "/api/v1/items/XK0001",
]
XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def body_text(resp) -> str:
    if resp.mimetype.endswith("spreadsheetml.sheet"):
        ws = load_workbook(io.BytesIO(resp.get_data()), read_only=True).active
        return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return resp.get_data(as_text=True)


def test_a_draft_item_appears_on_no_public_page_feed_export_or_api(client, portal):
    searches = [f"/items?q={DRAFT_NAME}", f"/abolished?q={DRAFT_NAME}", f"/pending?q={DRAFT_NAME}",
                f"/items.csv?decision=all&q={DRAFT_NAME}", f"/api/v1/items?q={DRAFT_NAME}",
                "/items/ZZ9999", "/api/v1/items/ZZ9999", "/items?q=ZZ9999", "/api/v1/items?q=SECRETCOND"]
    for lang in ("zh-hans", "zh-hant", "en"):
        client.set_cookie("lang", lang)
        for path in PUBLIC_PATHS + searches:
            resp = client.get(path)
            assert resp.status_code in (200, 404), path
            # the search box echoes the query and the language links the path: drop those echoes
            text = re.sub(r'(value|next)="?[^"]*"|[?&]q=[^"&]*', "", body_text(resp))
            for secret in (DRAFT_NAME, "ZZ9999", "SECRETCOND"):
                assert secret not in text, (path, secret)
    assert client.get(f"/api/v1/items?q={DRAFT_NAME}").get_json()["total"] == 0


@pytest.fixture
def hostile(db, portal, create_department, create_item, publish):
    """A published item whose every free-text field carries a script payload."""
    dept = create_department("X01", "局" + XSS)
    basis = law_basis(instrument_type=InstrumentType.local_regulation, issuer_level=IssuerLevel.provincial,
                      title="《条例》" + XSS, document_number=XSS, article=XSS)
    kept = create_item("XSS-1", name="事项" + XSS, department=dept, conditions=XSS, materials=XSS, procedure=XSS,
                       fee_charged=True, fee_rate=XSS, fee_basis=XSS, licence_document=XSS, validity=XSS, notes=XSS,
                       bases=[basis])
    publish(kept, Decision.keep, reason=XSS, rnd=portal.rnd)
    gone = create_item("XSS-2", name="取消" + XSS, department=dept, bases=[basis])
    publish(gone, Decision.abolish, reason=XSS, rnd=portal.rnd)
    db.session.commit()
    return kept


@pytest.mark.parametrize("path", [
    "/", "/items", "/items?q=事项script", "/items?q=<script>", "/abolished", "/abolished?q=取消", "/pending",
    "/statistics", "/items/XSS-1", "/items/XSS-2", "/feed.atom", "/items?department=X01",
])
def test_stored_script_payloads_come_back_as_text_on_pages(client, hostile, path):
    resp = client.get(path)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert not re.search(r"<[^>]*\sonerror=", html)
    if path.startswith("/items/XSS"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_stored_script_payloads_come_back_as_text_in_data(client, hostile):
    detail = client.get("/api/v1/items/XSS-1")
    assert detail.mimetype == "application/json" and detail.get_json()["name"] == "事项" + XSS
    assert detail.get_json()["details"]["conditions"] == XSS
    rows = list(csv.reader(io.StringIO(client.get("/items.csv?department=X01").get_data(as_text=True)[1:])))
    assert rows[1][1] == "事项" + XSS
    ws = load_workbook(io.BytesIO(client.get("/items.xlsx?department=X01").get_data()), read_only=True).active
    assert list(ws.iter_rows(values_only=True))[1][1] == "事项" + XSS
