"""CSV and XLSX downloads: same filters as the pages, streamed, conditional."""
import csv
import io

from openpyxl import load_workbook


def csv_rows(resp):
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_is_streamed_with_the_list_filters(client, portal):
    resp = client.get("/items.csv", headers={"Accept-Language": "en"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv" and resp.is_streamed
    assert "attachment" in resp.headers["Content-Disposition"]
    # no length known up front: the body was never read whole into memory to measure it
    assert "Content-Length" not in resp.headers
    xlsx = client.get("/items.xlsx")
    assert "Content-Length" not in xlsx.headers
    xlsx.get_data()
    rows = csv_rows(resp)
    assert rows[0][:3] == ["Code", "Name", "Implementing department"]
    assert [r[0] for r in rows[1:]] == ["XK0001", "XK0002", "XK0003", "XK0006"]
    assert rows[1][rows[0].index("Conditions")] == "有与经营食品相适应的场所"
    fee = client.get("/items.csv?fee=yes&department=D02")
    assert [r[0] for r in csv_rows(fee)[1:]] == ["XK0003"]
    search = client.get("/items.csv?q=食品经营")
    assert [r[0] for r in csv_rows(search)[1:]] == ["XK0001", "XK0002"]


def test_csv_of_every_decision_hides_application_details_of_non_kept_items(client, portal):
    rows = csv_rows(client.get("/items.csv?decision=all", headers={"Accept-Language": "zh-CN"}))
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    assert set(body) == {"XK0001", "XK0002", "XK0003", "XK0004", "XK0005", "XK0006"}
    assert body["XK0004"][header.index("决定")] == "取消"
    assert body["XK0004"][header.index("许可条件")] == ""
    assert "《示范区户外广告管理办法》" in body["XK0004"][header.index("设定依据")]


def test_xlsx_has_the_same_rows(client, portal):
    resp = client.get("/items.xlsx?decision=pending")
    assert resp.status_code == 200 and resp.is_streamed
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(resp.get_data()), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "XK0005" and rows[1][1] == "集贸市场登记"


def test_bad_download_filters_fall_back_instead_of_failing(client, portal):
    for query in ("decision=nope", "department=NOPE", "category=x", "page=abc", "q=" + "%" * 3000):
        assert client.get(f"/items.csv?{query}").status_code == 200, query


def test_downloads_answer_304_while_nothing_changed(client, portal, db):
    def get(url, **kw):  # the whole response: a stream left unread would outlive its request
        resp = client.get(url, **kw)
        resp.get_data()
        return resp

    first = get("/items.csv")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"] and "max-age" in first.headers["Cache-Control"]
    assert get("/items.csv", headers={"If-None-Match": etag}).status_code == 304
    other = get("/items.csv?fee=yes", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another filter is another representation
    from registry.items import services

    services.update_item(portal.items["food"], name="食品经营许可（新）")
    db.session.commit()
    assert get("/items.csv", headers={"If-None-Match": etag}).status_code == 200


def test_spreadsheet_formulas_are_neutralised(client, portal, create_item, publish, db):
    item = create_item("FX0001", name="=HYPERLINK(\"http://evil\")")
    publish(item, portal.items["food"].decision, rnd=portal.rnd)
    db.session.commit()
    rows = csv_rows(client.get("/items.csv?q=hyperlink"))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"
