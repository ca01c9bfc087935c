"""Relevance order: one-word searches read it from the token index; it must be the names' rank, then code."""
import pytest
import sqlalchemy as sa

from registry.items import services as item_services
from registry.items.models import Decision
from registry.public import queries
from registry.public.models import ItemSearchToken
from registry.public.search import name_rank, normalise, query_segments
from registry.review.models import RoundState
from tests.factories import law_basis

#: every item's basis holds both query words, so every item matches and the name decides the rank
BASIS = [law_basis(title="《燃气ICP排序条例》", document_number="排令第1号", article="第一条")]
NAMES = {
    "R-09": ("燃气", Decision.keep),  # the whole name
    "R-02": ("燃气经营许可", Decision.keep),  # its start
    "R-07": ("城镇燃气经营许可", Decision.abolish),  # inside it
    "R-01": ("供热许可", Decision.keep),  # only in the basis
    "R-05": ("ICP", Decision.pending),
    "R-03": ("ICP经营许可证", Decision.keep),
    "R-04": ("电信ICP2经营许可", Decision.keep),
    "R-08": ("燃气 ICP", Decision.keep),
    "R-06": ("燃氣", Decision.keep),  # Traditional: the whole name once folded
}
QUERIES = ["燃气", "燃", "气", "许可", "icp", "ＩＣＰ", "ic", "cp2", "r", "供热"]


@pytest.fixture
def ranked(db, create_department, create_item, create_round, publish):
    dept = create_department("P01", "排序测试局")
    rnd = create_round(state=RoundState.published)
    for code, (name, decision) in NAMES.items():
        publish(create_item(code, name=name, department=dept, bases=BASIS), decision, rnd=rnd)
    create_item("R-00", name="燃气", department=dept, bases=BASIS)  # never published
    db.session.flush()
    return dept


def expected(q, decision=None):
    """The order ``_ordering`` defines, computed from the names: rank in the name, then code."""
    (seg,) = query_segments(q)
    found = [(name_rank(seg, normalise(name)), code) for code, (name, d) in NAMES.items()
             if seg in normalise(f"{name} {code} 燃气ICP排序条例 排令第1号 排序测试局")
             and decision in (None, d)]
    return [code for _rank, code in sorted(found)]


def codes(q, page=1, per_page=100, **kw):
    result = queries.search_items(queries.ItemFilters(q=q, **kw), page=page, per_page=per_page)
    return [i.code for i in result.items], result.total


@pytest.mark.parametrize("q", QUERIES)
def test_one_word_searches_rank_by_name_then_code(ranked, q):
    assert codes(q, decision=None) == (expected(q), len(expected(q)))
    assert codes(q, decision=Decision.keep) == (expected(q, Decision.keep), len(expected(q, Decision.keep)))
    assert codes(q, decision=None, department=ranked)[0] == expected(q)


@pytest.mark.parametrize("q", ["燃气", "icp"])
def test_pages_cut_the_same_order(ranked, q):
    whole = expected(q)
    pages = [codes(q, page=p, per_page=2, decision=None)[0] for p in range(1, 7)]
    assert [c for page in pages for c in page] == whole
    assert codes(q, page=2, per_page=2, decision=None)[1] == len(whole)


@pytest.mark.parametrize("q", ["燃气", "icp"])
@pytest.mark.parametrize("sort", ["code", "name", "newest"])
def test_other_sorts_list_and_count_the_same_matches(ranked, q, sort):
    found, total = codes(q, decision=None, sort=sort)
    assert sorted(found) == sorted(expected(q)) and total == len(expected(q))
    if sort == "code":
        assert found == sorted(expected(q))


def test_exact_names_first_even_in_traditional_characters(ranked):
    assert codes("燃氣", decision=None)[0][:2] == ["R-06", "R-09"]


def test_token_rows_follow_the_item(ranked, db, publish, create_round):
    item = db.session.scalar(sa.select(queries.Item).where(queries.Item.code == "R-01"))

    def rows():
        return set(db.session.execute(sa.select(ItemSearchToken.token, ItemSearchToken.name_rank, ItemSearchToken.code,
                                                ItemSearchToken.decision).where(ItemSearchToken.item_id == item.id)))

    assert ("供热", 1, "R-01", Decision.keep) in rows() and ("燃气", 3, "R-01", Decision.keep) in rows()
    item_services.update_item(item, name="燃气")
    db.session.flush()
    assert ("燃气", 0, "R-01", Decision.keep) in rows() and not any(t == "供热" for t, *_ in rows())
    publish(item, Decision.abolish, rnd=create_round(state=RoundState.published))
    assert {d for *_, d in rows()} == {Decision.abolish}
    assert codes("燃气", decision=Decision.abolish)[0] == ["R-01", "R-07"]


def test_a_one_word_page_is_read_from_the_token_key(ranked, db):
    """Neither the count nor the page's order needs the items table or a sort."""
    ids, _counted, order = queries._term_query(queries.ItemFilters(q="燃气"), "燃气")
    stmt = ids.add_columns(*(expr for expr, _desc in order)).order_by(*(expr for expr, _desc in order)).limit(20)
    conn = db.session.connection()
    sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
    assert "items" not in sql.replace("item_search_tokens", "")
    if conn.dialect.name == "sqlite":
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "item_search_tokens USING PRIMARY KEY (token=?)" in plan and "TEMP B-TREE" not in plan, plan
    else:
        for setting in ("seqscan", "bitmapscan", "sort"):  # a tiny table: ask for the plan of a large one
            conn.exec_driver_sql(f"SET LOCAL enable_{setting} = off")
        plan = " | ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "Index Only Scan using pk_item_search_tokens" in plan and "Sort" not in plan, plan
