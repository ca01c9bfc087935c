"""Chinese full-text search: one set of queries, the same expected results on every database."""
import pytest
import sqlalchemy as sa

from registry.items import services as item_services
from registry.items.models import Decision
from registry.public import queries
from registry.public.search import highlight, normalise, query_segments, tokens
from registry.review.models import RoundState
from tests.factories import law_basis

NEUTRAL_BASIS = [law_basis(title="《检索测试条例》", document_number="测令第1号", article="第三条")]
ITEMS = {
    "SP-0001": "食品经营许可",
    "SP-0002": "小型食品经营许可（含小餐饮）",
    "SP-0003": "食品",
    "JZ-2024A": "建筑工程施工许可",
    "TX-110": "ICP经营许可证",
    "FS-0006": "Ｘ光机使用许可",
    "NS-0007": "经营食品品经",  # every bigram of 食品经营, but not the word itself
}


@pytest.fixture
def searchable(db, create_department, create_item, create_round, publish):
    dept = create_department("S01", "检索测试局")
    rnd = create_round(state=RoundState.published)
    for code, name in ITEMS.items():
        publish(create_item(code, name=name, department=dept, bases=NEUTRAL_BASIS), Decision.keep, rnd=rnd)
    create_item("DR-0001", name="食品经营草稿事项", department=dept, bases=NEUTRAL_BASIS)  # never published
    db.session.flush()
    return dept


def search(q, **kw):
    page = queries.search_items(queries.ItemFilters(q=q, decision=None, **kw), per_page=100)
    return [i.code for i in page.items], page.total


@pytest.mark.parametrize("q,expected", [
    ("食", {"SP-0001", "SP-0002", "SP-0003", "NS-0007"}),
    ("食品", {"SP-0001", "SP-0002", "SP-0003", "NS-0007"}),
    ("食品经营", {"SP-0001", "SP-0002"}),
    ("食品经营许可", {"SP-0001", "SP-0002"}),
    ("小餐饮", {"SP-0002"}),
    ("（含小餐饮）", {"SP-0002"}),
    ("食品，经营", {"SP-0001", "SP-0002", "NS-0007"}),
    ("食品 许可", {"SP-0001", "SP-0002"}),
    ("ICP", {"TX-110"}),
    ("ｉｃｐ经营", {"TX-110"}),
    ("x光", {"FS-0006"}),
    ("Ｘ光机", {"FS-0006"}),
    ("SP-0002", {"SP-0002"}),
    ("sp0002", {"SP-0002"}),
    ("ＳＰ－０００２", {"SP-0002"}),
    ("2024a", {"JZ-2024A"}),
    ("110", {"TX-110"}),
    ("施工", {"JZ-2024A"}),
    ("检索测试局", set(ITEMS)),
    ("检索测试条例", set(ITEMS)),
    ("测令第1号", set(ITEMS)),
    ("不存在的事项", set()),
    ("食品草稿", set()),
    ("%", set(ITEMS)),  # nothing searchable left: the unfiltered list
    ("_", set(ITEMS)),
])
def test_queries_return_the_expected_items(searchable, q, expected):
    codes, total = search(q, department=searchable)
    assert set(codes) == expected
    assert total == len(expected)


def test_exact_name_matches_rank_first(searchable):
    codes, _ = search("食品")
    assert codes[0] == "SP-0003"
    codes, _ = search("食品经营许可")
    assert codes[0] == "SP-0001"


def test_search_combines_with_filters(searchable, create_item, publish, create_round):
    item = create_item("AB-0001", name="食品摊贩登记", department=searchable, bases=NEUTRAL_BASIS)
    publish(item, Decision.abolish, rnd=create_round(state=RoundState.published))
    assert search("食品", department=searchable)[1] == 5
    page = queries.search_items(queries.ItemFilters(q="食品", decision=Decision.abolish))
    assert [i.code for i in page.items] == ["AB-0001"]


def test_the_index_follows_every_write(searchable, db):
    item = db.session.scalar(sa.select(queries.Item).where(queries.Item.code == "JZ-2024A"))
    item_services.update_item(item, name="燃气经营许可")
    db.session.flush()
    assert search("燃气")[0] == ["JZ-2024A"] and search("建筑")[0] == []
    item_services.update_item(item, bases=[law_basis(title="《城镇燃气管理条例》")])
    db.session.flush()
    assert search("城镇燃气")[0] == ["JZ-2024A"]
    item_services.update_department(searchable, name="检索改名局")
    db.session.flush()
    assert search("改名局")[1] == len(ITEMS)


def test_normalisation_and_tokens():
    assert normalise("ＳＰ－０００２　食品（含小餐饮）") == "sp 0002 食品 含小餐饮"
    assert normalise("ICP经营") == "icp经营"
    assert tokens("食品经营") == {"食", "品", "经", "营", "食品", "品经", "经营"}
    assert query_segments("  ") == [] and query_segments("食" * 500) == ["食" * 100]
    assert query_segments("a b c d e f g h i j") == list("abcdefgh")


def test_highlight_escapes_then_marks():
    assert str(highlight("<b>食品</b>经营", "食品")) == "&lt;b&gt;<mark>食品</mark>&lt;/b&gt;经营"
    assert str(highlight("ＩＣＰ许可", "icp")) == "<mark>ＩＣＰ</mark>许可"
    assert str(highlight("食品", "")) == "食品"
    assert str(highlight("a<script>", "<script>")) == "a&lt;<mark>script</mark>&gt;"


def test_search_uses_the_token_index(searchable, db):
    """The plan reads the token index; the items table is only reached by primary key."""
    stmt, _ = queries.filtered(queries.ItemFilters(q="食品", decision=Decision.keep))
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "item_search_tokens" in plan and "SCAN items" not in plan, plan
    else:
        sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " | ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "pk_item_search_tokens" in plan, plan
