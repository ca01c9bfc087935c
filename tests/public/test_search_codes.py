"""Code and Latin-run search by suffix tokens, Traditional→Simplified folding, capped counts."""
import pytest

from registry.items.models import Decision
from registry.public import queries
from registry.public.search import Term, highlight, is_exact, normalise, segment_terms, tokens
from registry.review.models import RoundState
from tests.factories import law_basis

BASIS = [law_basis(title="《代码检索条例》", document_number="ABCDEFGHIJKLMNOPQRSTUV-7", article="第一条")]
CODES = {
    "XK00012000": "燃气经营许可",
    "XK00012001": "燃氣供應許可",  # stored in Traditional characters
    "XK00120000": "道路运输经营许可",
    "QY-2004-17": "出租汽车经营许可",
}


@pytest.fixture
def coded(db, create_department, create_item, create_round, publish):
    dept = create_department("C01", "代码检索局")
    rnd = create_round(state=RoundState.published)
    for code, name in CODES.items():
        publish(create_item(code, name=name, department=dept, bases=BASIS), Decision.keep, rnd=rnd)
    db.session.flush()
    return dept


def codes_for(q, **kw):
    page = queries.search_items(queries.ItemFilters(q=q, decision=None, **kw), per_page=100)
    assert page.total == len(page.items) and page.total_exact
    return {i.code for i in page.items}


@pytest.mark.parametrize("q,expected", [
    ("XK00012", {"XK00012000", "XK00012001"}),
    ("00012000", {"XK00012000"}),
    ("xk00012000", {"XK00012000"}),
    ("ＸＫ０００１２００１", {"XK00012001"}),
    ("k0012", {"XK00120000"}),
    ("0001200", {"XK00012000", "XK00012001"}),
    ("0120000", {"XK00120000"}),
    ("XK00012000 燃气", {"XK00012000"}),
    ("QY-2004", {"QY-2004-17"}),
    ("qy2004", {"QY-2004-17"}),
    ("2004 17", {"QY-2004-17"}),
    ("xk0001200燃气", set()),  # a code and a name are separate words, never one substring
    ("XK000120009", set()),
    ("bcdefghijklmnopqrstuv", set(CODES)),  # longer than a token: a prefix lookup, then the text check
    ("bcdefghijklmnopqrstuw", set()),
])
def test_codes_and_latin_runs_are_found_by_any_substring(coded, q, expected):
    assert codes_for(q, department=coded) == expected


def test_traditional_queries_find_simplified_names_and_back(coded):
    assert codes_for("燃氣", department=coded) == {"XK00012000", "XK00012001"}
    assert codes_for("供应许可", department=coded) == {"XK00012001"}
    assert codes_for("經營許可", department=coded) == {"XK00012000", "XK00120000", "QY-2004-17"}
    assert str(highlight("燃气经营许可", "經營")) == "燃气<mark>经营</mark>许可"
    assert str(highlight("燃氣供應許可", "供应")) == "燃氣<mark>供應</mark>許可"


def test_tokens_terms_and_exactness():
    assert normalise("許可證　ＸＫ－００１") == "许可证 xk 001"
    assert tokens("xk001 燃气") == {"xk001", "k001", "001", "01", "1", "燃", "气", "燃气"}
    assert max(len(t) for t in tokens("a" * 40)) == 16
    assert segment_terms("icp经营许可") == [Term("icp", prefix=True), Term("经营"), Term("营许"), Term("许可")]
    assert is_exact("燃气") and is_exact("xk00012") and is_exact("燃")
    assert not is_exact("燃气经") and not is_exact("icp经营") and not is_exact("a" * 17)


def test_common_terms_are_left_to_the_text_check(coded, monkeypatch):
    """With every term 'common', only the rarest one reads the index; results do not change."""
    expected = codes_for("道路运输经营许可", department=coded)
    monkeypatch.setattr(queries, "COMMON_TERM", 1)
    assert codes_for("道路运输经营许可", department=coded) == expected == {"XK00120000"}
    assert codes_for("经营许可 XK0001", department=coded) == {"XK00012000", "XK00012001"} - {"XK00012001"}


def test_a_code_search_reads_one_key_range(coded, db):
    stmt, _ = queries.filtered(queries.ItemFilters(q="XK00012", decision=Decision.keep))
    conn = db.session.connection()
    sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})
    assert "item_search_tokens.token >= 'xk00012' AND item_search_tokens.token < 'xk00013'" in str(sql)
    assert "LIKE" not in str(sql)  # the index answers exactly: no text check
    if conn.dialect.name == "sqlite":
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "item_search_tokens USING PRIMARY KEY (token>? AND token<?)" in plan, plan  # a WITHOUT ROWID table
    else:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " | ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "pk_item_search_tokens" in plan, plan


def test_counts_stop_at_the_cap(coded, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    page = queries.search_items(queries.ItemFilters(q="许可", decision=None, department=coded), per_page=1)
    assert (page.total, page.total_exact, page.pages, page.has_next) == (2, False, 2, True)
    assert len(page.items) == 1
    page = queries.search_items(queries.ItemFilters(q="燃气", decision=None, department=coded), per_page=1)
    assert (page.total, page.total_exact) == (2, True)
    last = queries.search_items(queries.ItemFilters(q="许可", decision=None, department=coded), page=4, per_page=1)
    assert last.items and last.has_next is False  # the 4th and last match, beyond the cap
    assert queries.search_items(queries.ItemFilters(q="许可", decision=None, department=coded), page=5,
                                per_page=1).items == []


def test_pages_and_api_say_when_a_count_is_capped(client, portal, monkeypatch):
    from registry.public import views

    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    html = client.get("/items", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Items found: more than 2" in html and 'rel="next"' not in html
    monkeypatch.setattr(views, "PER_PAGE", 1)
    html = client.get("/items?page=3", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "找到超过 2 项" in html and "第 3 页，共超过 2 页" in html and 'rel="next"' in html
    html = client.get("/items?page=4", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' not in html  # the 4th kept item is the last
    body = client.get("/api/v1/items").get_json()
    assert body["total"] == 2 and body["total_exact"] is False and len(body["items"]) == 6
    body = client.get("/api/v1/items?q=食品经营").get_json()
    assert body["total"] == 2 and body["total_exact"] is True
