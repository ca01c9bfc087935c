"""No lost updates on PostgreSQL: two real connections racing on one review, one item, the audit chain."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from registry import create_app, migrate
from registry.audit.chain import verify
from registry.audit.models import AuditEvent
from registry.audit.services import record
from registry.auth.models import Role, User
from registry.auth.services import create_user
from registry.auth.tokens import issue_token
from registry.errors_domain import StaleObject
from registry.extensions import db
from registry.items import services as item_services
from registry.items.models import DepartmentKind, Item
from registry.review import rounds
from registry.review.models import Review, ReviewState
from registry.review.services import perform
from tests.factories import TEST_PASSWORD, law_basis
from tests.scratch_db import scratch_database

pytestmark = [pytest.mark.postgres, pytest.mark.no_db]


@pytest.fixture
def world(database_url, tmp_path):
    """A scratch database with two officers, a staff member, an item and a submitted review."""
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                          "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
        with app.app_context():
            dept = item_services.create_department(code="C01", name="并发部门", kind=DepartmentKind.department)
            people = {name: create_user(name, display_name=name, password=TEST_PASSWORD, roles=roles,
                                        department=dept if Role.department_staff in roles else None)
                      for name, roles in (("staff", [Role.department_staff]), ("officer1", [Role.legal_officer]),
                                          ("officer2", [Role.legal_officer]), ("admin", [Role.admin]))}
            item = item_services.create_item(
                code="C0001", name="并发事项", competent_department_id=dept.id, implementing_department_id=dept.id,
                category="safety_health", approval_level="district", applicant_type="both", statutory_days=20,
                bases=[law_basis()])
            rnd = rounds.create_round(name="并发轮次", year=2026, actor=people["admin"])
            rounds.add_items(rnd, actor=people["admin"])
            review = db.session.scalars(sa.select(Review)).one()
            perform(review, "submit", actor=people["staff"], reason="申报理由")
            tokens = {name: issue_token(u)[1] for name, u in people.items()}
            db.session.commit()
            ids = {"review": review.id, "item": item.id, **{n: u.id for n, u in people.items()}}
            db.session.remove()
        yield app, ids, tokens
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _race(app, workers):
    """Run each worker in its own thread, app context and database connection; collect results."""
    results = {}

    def run(name, fn):
        with app.app_context():
            try:
                results[name] = fn()
            except Exception as exc:  # reported to the test as the result
                db.session.rollback()
                results[name] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(name, fn)) for name, fn in workers.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results


def test_two_officers_claiming_at_once_one_wins(world):
    app, ids, _tokens = world
    both_loaded = threading.Barrier(2, timeout=30)

    def claim(officer):
        def _do():
            review = db.session.get(Review, ids["review"])
            actor = db.session.get(User, ids[officer])
            version = review.version
            both_loaded.wait()  # both hold version N of a submitted review
            perform(review, "claim", actor=actor, expected_version=version)
            db.session.commit()
            return "claimed"
        return _do

    results = _race(app, {"officer1": claim("officer1"), "officer2": claim("officer2")})
    outcomes = [r if isinstance(r, str) else type(r).__name__ for r in results.values()]
    assert outcomes.count("claimed") == 1, results
    assert set(outcomes) - {"claimed"} <= {"StaleDataError", "StaleObject"}, results
    winner = next(n for n, r in results.items() if r == "claimed")
    with app.app_context():
        review = db.session.get(Review, ids["review"])
        assert review.state is ReviewState.under_review and review.claimed_by_id == ids[winner]
        claims = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "review.claim")).all()
        assert len(claims) == 1 and claims[0].actor_id == ids[winner]
        assert verify(db.session).ok
        db.session.remove()


def test_two_officers_through_the_api_one_gets_409(world):
    app, ids, tokens = world

    def claim(officer):
        def _do():
            r = app.test_client().post(f"/api/v1/reviews/{ids['review']}/actions", json={"action": "claim"},
                                       headers={"Authorization": f"Bearer {tokens[officer]}"})
            return r.status_code
        return _do

    results = _race(app, {"officer1": claim("officer1"), "officer2": claim("officer2")})
    assert sorted(results.values()) == [200, 409], results


def test_second_editor_of_an_item_gets_stale_object(world):
    app, ids, _tokens = world
    with app.app_context():
        loaded_version = db.session.get(Item, ids["item"]).version  # both editors open the form
        db.session.remove()

    def save(notes):
        def _do():
            item = db.session.get(Item, ids["item"])
            item_services.update_item(item, actor=db.session.get(User, ids["staff"]),
                                      expected_version=loaded_version, notes=notes)
            db.session.commit()
            return "saved"
        return _do

    first = _race(app, {"a": save("第一位编辑")})
    second = _race(app, {"b": save("第二位编辑")})
    assert first["a"] == "saved" and isinstance(second["b"], StaleObject)
    with app.app_context():
        assert db.session.get(Item, ids["item"]).notes == "第一位编辑"
        db.session.remove()


def test_two_editors_saving_at_once_one_is_refused(world):
    app, ids, _tokens = world
    both_loaded = threading.Barrier(2, timeout=30)

    def save(notes):
        def _do():
            item = db.session.get(Item, ids["item"])
            version = item.version
            both_loaded.wait()
            item_services.update_item(item, actor=db.session.get(User, ids["staff"]), expected_version=version,
                                      notes=notes)
            db.session.commit()
            return "saved"
        return _do

    results = _race(app, {"a": save("甲"), "b": save("乙")})
    assert sorted(type(r).__name__ if not isinstance(r, str) else r for r in results.values()) == \
        ["StaleDataError", "saved"], results
    winner = next(n for n, r in results.items() if r == "saved")
    with app.app_context():
        item = db.session.get(Item, ids["item"])
        assert item.notes == {"a": "甲", "b": "乙"}[winner]
        assert len(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "item.update")).all()) == 1
        db.session.remove()


def test_concurrent_writers_do_not_fork_the_chain(world):
    app, _ids, _tokens = world
    start = threading.Barrier(6, timeout=30)

    def writer(n):
        def _do():
            start.wait()
            for i in range(10):
                record("test.concurrent", entity_type="test", entity_id=f"{n}-{i}", reason=f"writer {n}")
                db.session.commit()
            return "done"
        return _do

    results = _race(app, {f"w{n}": writer(n) for n in range(6)})
    assert set(results.values()) == {"done"}, results
    with app.app_context():
        seqs = db.session.scalars(sa.select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        assert seqs == list(range(1, len(seqs) + 1))
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "test.concurrent")) == 60
        result = verify(db.session)
        assert result.ok and result.count == len(seqs)
        db.session.remove()


