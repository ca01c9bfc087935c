"""The first public page and API before anything is published."""


def test_home_without_a_published_round(client):
    resp = client.get("/", headers={"Accept-Language": "zh-CN"})
    assert resp.status_code == 200
    assert "尚未公布任何清理结果" in resp.get_data(as_text=True)


def test_stats_without_a_published_round(client):
    body = client.get("/api/v1/stats").get_json()
    assert body["total"] == 0 and body["keep"] == 0 and body["round"] is None


def test_unknown_page_is_a_friendly_404_with_a_request_id(client):
    resp = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert resp.status_code == 404
    text = resp.get_data(as_text=True)
    assert "does not exist" in text and resp.headers["X-Request-ID"] in text
    assert "Traceback" not in text


def test_unknown_api_path_is_json(client):
    resp = client.get("/api/v1/nope")
    assert resp.status_code == 404 and resp.get_json()["status"] == 404
