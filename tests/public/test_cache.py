"""The public response cache: served while nothing public changed, never after, never to a signed-in user."""
import pytest
import sqlalchemy as sa

from registry import migrate
from registry.items.models import Decision
from registry.items.services import update_department, update_item
from registry.public.cache import Entry, ResponseCache, current_version, get_cache
from registry.review import rounds
from registry.review.models import ReviewState
from registry.review.services import perform
from tests.scratch_db import scratch_database
from tests.workspace_fixtures import as_user, dept_a, dept_b, people  # noqa: F401  (fixtures)


def hits(app) -> int:
    return app.extensions["registry.public_cache"].hits


def test_a_repeated_public_read_is_served_from_the_cache(app, client, portal):
    first = client.get("/items?sort=name")
    before = hits(app)
    second = client.get("/items?sort=name")
    assert hits(app) == before + 1
    assert second.get_data() == first.get_data() and "食品经营许可" in second.get_data(as_text=True)
    # the request hooks still run on a cached response
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert client.get("/items?sort=name", headers={"If-None-Match": second.headers["ETag"]}).status_code == 304


def test_each_language_has_its_own_entry(client, portal):
    client.set_cookie("lang", "en")
    assert "Retained items" in client.get("/items").get_data(as_text=True)
    client.set_cookie("lang", "zh-hant")
    assert "保留" in client.get("/items").get_data(as_text=True)
    assert "Retained items" not in client.get("/items").get_data(as_text=True)


def test_an_item_edit_shows_at_once(db, client, portal):
    item = portal.items["food"]
    assert "食品经营许可" in client.get("/items/XK0001").get_data(as_text=True)
    assert client.get("/api/v1/items/XK0001").get_json()["name"] == "食品经营许可"
    update_item(item, name="食品经营许可（更名）")
    db.session.commit()
    assert "食品经营许可（更名）" in client.get("/items/XK0001").get_data(as_text=True)
    assert client.get("/api/v1/items/XK0001").get_json()["name"] == "食品经营许可（更名）"


def test_a_department_rename_shows_at_once(db, client, portal):
    assert "区市场监督管理局" in client.get("/items").get_data(as_text=True)
    update_department(portal.depts["food"], name="区市场监管局")
    db.session.commit()
    body = client.get("/items").get_data(as_text=True)
    assert "区市场监管局" in body and "区市场监督管理局" not in body


def test_a_write_by_plain_sql_moves_the_version_too(db, client, portal):
    """The database counts the change, whatever door wrote it."""
    client.get("/items/XK0002")
    before = current_version()
    db.session.execute(sa.text("UPDATE items SET name = '小餐饮许可' WHERE code = 'XK0002'"))
    db.session.commit()
    assert current_version() > before
    assert "小餐饮许可" in client.get("/items/XK0002").get_data(as_text=True)


def test_publishing_a_round_shows_at_once(db, client, portal, people, create_item, dept_a):  # noqa: F811
    create_item("XN0001", department=dept_a, name="新设许可事项")
    assert "新设许可事项" not in client.get("/items").get_data(as_text=True)
    assert client.get("/items/XN0001").status_code == 404
    rnd = rounds.create_round(name="2026 评估", year=2026, actor=people["admin"])
    rounds.add_items(rnd, actor=people["admin"], department_ids=[dept_a.id])
    review = rnd.reviews[0]
    review.state = ReviewState.under_review
    perform(review, "propose", actor=people["officer"], decision="keep", reason="法律设定")
    perform(review, "approve", actor=people["approver"])
    db.session.commit()
    # the workflow up to here is internal: the public version (and every cached page) stands
    version = current_version()
    assert "新设许可事项" not in client.get("/items").get_data(as_text=True)
    rounds.close_round(rnd, actor=people["admin"])
    rounds.publish_round(rnd, actor=people["admin"])
    db.session.commit()
    assert review.item.decision is Decision.keep and current_version() > version
    assert "新设许可事项" in client.get("/items").get_data(as_text=True)
    assert client.get("/items/XN0001").status_code == 200
    assert "2026 评估" in client.get("/").get_data(as_text=True)


def test_a_signed_in_user_never_gets_or_leaves_a_cached_page(app, client, portal, people, as_user):  # noqa: F811
    client.get("/")
    cache = get_cache()
    size, before = len(cache), hits(app)
    as_user(people["officer"])
    body = client.get("/").get_data(as_text=True)
    assert hits(app) == before and len(cache) == size
    assert people["officer"].display_name in body


def test_a_pending_message_is_shown_not_a_cached_page(client, portal):
    client.get("/")
    with client.session_transaction() as sess:  # as a sign-out leaves it for the next page
        sess["_flashes"] = [("info", "已退出登录。")]
    assert "已退出登录。" in client.get("/").get_data(as_text=True)
    assert "已退出登录。" not in client.get("/").get_data(as_text=True)


@pytest.mark.no_db
def test_the_version_moves_once_per_commit_and_only_when_committed(database_url, tmp_path):
    """Real commits on a scratch database: readers never see a number ahead of the data."""
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        version = sa.text("SELECT version FROM public_version")
        try:
            with engine.begin() as conn:
                start = conn.execute(version).scalar_one()
                conn.exec_driver_sql("INSERT INTO departments (code, name, kind, is_active) "
                                     "VALUES ('D1', '甲局', 'department', true)")
                conn.exec_driver_sql("INSERT INTO departments (code, name, kind, is_active) "
                                     "VALUES ('D2', '乙局', 'department', true)")
                conn.exec_driver_sql("UPDATE departments SET name = name || '（改）'")
            with engine.connect() as conn:
                after = conn.execute(version).scalar_one()
            if engine.dialect.name == "postgresql":
                assert after == start + 1  # deferred to the commit, once
            else:
                assert after == start + 4  # row triggers: writers are serialised anyway
            with engine.connect() as writer, engine.connect() as reader:
                writer.begin()
                writer.exec_driver_sql("UPDATE departments SET name = '丙局' WHERE code = 'D1'")
                assert reader.execute(version).scalar_one() == after  # nothing committed yet
                writer.rollback()
                assert reader.execute(version).scalar_one() == after  # nor after a rollback
        finally:
            engine.dispose()


def test_the_cache_is_bounded_by_entries_and_bytes():
    cache = ResponseCache(max_entries=2, max_bytes=800)
    for key in ("a", "b", "c"):
        cache.put((key,), Entry(b"x" * 10, ()))
    assert cache.get(("a",)) is None and cache.get(("c",)) is not None and len(cache) == 2
    cache.get(("b",))  # recently used: kept
    cache.put(("d",), Entry(b"y" * 90, ()))
    assert cache.get(("b",)) is not None and cache.get(("c",)) is None
    cache.put(("huge",), Entry(b"z" * 101, ()))  # over an eighth of the bytes: never kept
    assert cache.get(("huge",)) is None


@pytest.mark.no_db
def test_no_entries_turns_the_cache_off(database_url, tmp_path):
    from registry import create_app

    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_CACHE_ENTRIES": 0})
    app.instance_path = str(tmp_path)
    assert app.extensions["registry.public_cache"] is None


def test_every_watched_table_keeps_its_triggers_at_head(db):
    """A later SQLite batch migration (a table rebuild) would silently drop them."""
    if db.session.get_bind().dialect.name == "postgresql":
        names = db.session.scalars(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).all()
    else:
        names = db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
    expected = {f"{table}_public_{event}" for table in ("items", "departments", "legal_bases", "review_rounds",
                                                        "reviews") for event in ("insert", "update", "delete")}
    assert expected <= set(names)


def test_a_page_that_wrote_the_visitors_session_is_not_kept(app, client, portal, monkeypatch):
    from flask import session

    from registry.public import queries

    original = queries.round_stats

    def writes_the_session():
        session["csrf_token"] = "this visitor's"
        return original()

    monkeypatch.setattr(queries, "round_stats", writes_the_session)
    size = len(get_cache())
    client.get("/")
    assert len(get_cache()) == size
