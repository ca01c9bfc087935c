"""Every public page: content, filters, pagination, languages and bad input."""
from datetime import UTC

import pytest

from tests.public.conftest import DRAFT_NAME, LANGS

PAGES = ["/", "/items", "/items?q=食品", "/abolished", "/pending", "/statistics", "/open-data",
         "/items/XK0001", "/items/XK0004", "/items/XK0005"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_renders_in_every_language(client, portal, path, lang):
    client.set_cookie("lang", lang)
    resp = client.get(path)
    assert resp.status_code == 200, path
    html = resp.get_data(as_text=True)
    assert f'<html lang="{ {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}[lang] }">' in html
    marker = {"zh-hans": "保留事项", "zh-hant": "保留事項", "en": "Retained items"}[lang]
    assert marker in html  # the navigation, translated


def test_home_shows_the_headline_chart_search_and_newest(client, portal):
    html = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "本轮共清理行政许可事项 6 项，保留 3 项，取消 1 项，待与上级对接 1 项" not in html  # 4 kept
    assert "本轮共清理行政许可事项 6 项，保留 4 项，取消 1 项，待与上级对接 1 项" in html
    assert "<svg" in html and 'role="img"' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "建筑工程施工许可" in html  # a newest decision


def test_retained_list_shows_only_kept_items_with_a_count(client, portal):
    html = client.get("/items?lang=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Items found: 4" in html
    assert "食品经营许可" in html and "建筑工程施工许可" in html
    assert "户外广告设置审批" not in html and "集贸市场登记" not in html


@pytest.mark.parametrize("query,expected", [
    ("department=D02", {"建筑工程施工许可"}),
    ("category=inspection", {"建筑工程施工许可"}),
    ("level=township", {"小型食品经营许可（含小餐饮）"}),
    ("fee=yes", {"建筑工程施工许可", "小型食品经营许可（含小餐饮）"}),
    ("fee=no&department=D01", {"食品经营许可", "食品"}),
])
def test_retained_list_filters(client, portal, query, expected):
    html = client.get(f"/items?{query}").get_data(as_text=True)
    names = {"食品经营许可", "小型食品经营许可（含小餐饮）", "建筑工程施工许可", "食品"}
    shown = {n for n in names if f">{n}</a>" in html}
    assert shown == expected


def test_sorting_and_pagination(client, portal, create_item, publish, db):
    for i in range(25):
        publish(create_item(f"PG{i:04d}", name=f"分页测试事项{i:02d}"), portal.items["food"].decision, rnd=portal.rnd)
    db.session.commit()
    first = client.get("/items?q=分页&sort=code", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Items found: 25" in first and "PG0000" in first and "PG0020" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/items?q=分页&sort=code&page=2").get_data(as_text=True)
    assert "PG0020" in second and "PG0000" not in second
    by_name = client.get("/items?q=分页&sort=name&page=2").get_data(as_text=True)
    assert "PG0024" in by_name and "PG0019" not in by_name


@pytest.mark.parametrize("query", [
    "page=0", "page=-3", "page=abc", "page=99999999999999999999", "page=1e9", "sort=drop", "category=nope",
    "level=%00", "fee=maybe", "department=NOPE", "q=" + "食" * 5000, "q=%25_%5C", "q='%20OR%201=1--",
])
def test_bad_input_never_breaks_a_page(client, portal, query):
    for path in ("/items", "/abolished", "/pending"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code == 200, (path, query)


def test_item_page_shows_art30_information_decision_and_history(client, portal, publish, create_round, db):
    from datetime import datetime

    from registry.items.models import Decision
    from registry.review.models import RoundState

    later = create_round("2010 行政许可事项清理", year=2010, state=RoundState.published)
    publish(portal.items["food"], Decision.keep, reason="再次评价后保留", rnd=later,
            when=datetime(2010, 7, 1, tzinfo=UTC))
    db.session.commit()
    html = client.get("/items/XK0001", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    for text in ("食品经营许可", "XK0001", "区市场监督管理局", "《中华人民共和国食品卫生法》", "主席令第59号", "第二十七条",
                 "有与经营食品相适应的场所", "申请书", "受理、审查、决定", "20 个工作日", "15 个工作日",
                 "保留", "2010年7月1日", "2004年6月30日", "再次评价后保留", "2010 行政许可事项清理", "2004 行政许可事项清理"):
        assert text in html, text
    assert html.index("2010 行政许可事项清理") < html.index("2004 行政许可事项清理")


def test_abolished_and_pending_pages_show_basis_and_reason_but_not_application_details(client, portal):
    abolished = client.get("/abolished").get_data(as_text=True)
    assert "户外广告设置审批" in abolished and "《示范区户外广告管理办法》" in abolished
    assert "区规范性文件设定" in abolished and "食品经营许可" not in abolished
    pending = client.get("/pending").get_data(as_text=True)
    assert "集贸市场登记" in pending and "待与上级对接" in pending and "户外广告设置审批" not in pending
    item = client.get("/items/XK0004", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Abolished" in item and "How to apply" not in item


def test_statistics_have_charts_and_tables(client, portal):
    html = client.get("/statistics", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html.count("<svg") == 3 and html.count("<table") == 3
    assert "区住房和城乡建设局" in html and "Normative document" in html and "Ministry rule" in html
    assert '<td class="num">4</td>' in html  # kept, in the decision table


def test_feed_is_atom_with_published_decisions(client, portal):
    import xml.etree.ElementTree as ET

    resp = client.get("/feed.atom")
    assert resp.status_code == 200 and resp.mimetype == "application/atom+xml"
    root = ET.fromstring(resp.data)  # noqa: S314  (the app's own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(titles) == 6 and any("户外广告设置审批" in t for t in titles)
    assert all(e.find("a:updated", ns) is not None and e.find("a:id", ns) is not None for e in root.findall("a:entry", ns))


def test_unknown_and_draft_items_are_404(client, portal):
    assert client.get("/items/NOPE").status_code == 404
    resp = client.get("/items/ZZ9999")
    assert resp.status_code == 404 and DRAFT_NAME not in resp.get_data(as_text=True)


def test_dates_and_numbers_follow_the_locale(client, portal):
    client.set_cookie("lang", "en")
    assert "Jun 30, 2004" in client.get("/items/XK0001").get_data(as_text=True)
    client.set_cookie("lang", "zh-hant")
    assert "2004年6月30日" in client.get("/items/XK0001").get_data(as_text=True)
