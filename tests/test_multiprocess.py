"""Two server processes on one PostgreSQL database, 200 concurrent workflow decisions.

Checks: no 5xx, every conflict answered 409, no lost update (the final state of each review
is what its accepted actions say), the audit chain verifies, and the audit trail holds exactly
one event per accepted write.
"""
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from registry import create_app, migrate
from registry.extensions import db
from tests.live_server import serve
from tests.scratch_db import scratch_database

pytestmark = [pytest.mark.no_db, pytest.mark.postgres]

REVIEWS = 20
#: requests per review: 4 claims, 3 proposals, 3 approvals → 200 in all
PLAN = ["claim"] * 4 + ["propose"] * 3 + ["approve"] * 3
NEXT_STATE = {"claim": "under_review", "propose": "proposed", "approve": "decided"}
ORDER = ["claim", "propose", "approve"]


def _prepare(url) -> tuple[list[int], dict[str, list[str]], int]:
    """Submitted reviews, bearer tokens for 3 officers and 2 approvers, and the audit seq before the run."""
    from registry.audit.models import AuditEvent
    from registry.auth.models import Role
    from registry.auth.services import create_user
    from registry.auth.tokens import issue_token
    from registry.items import services as items
    from registry.items.models import ApplicantType, ApprovalLevel, DepartmentKind, ItemCategory
    from registry.review import rounds
    from registry.review.services import perform, save_justification
    from tests.factories import TEST_PASSWORD, law_basis

    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context():
        admin = create_user("admin", display_name="admin", password=TEST_PASSWORD, roles=[Role.admin])
        dept = items.create_department(code="MP01", name="并发部门", kind=DepartmentKind.department, actor=admin)
        staff = create_user("staff", display_name="staff", password=TEST_PASSWORD, roles=[Role.department_staff],
                            department=dept)
        for n in range(REVIEWS):
            items.create_item(code=f"MP{n:04d}", name=f"并发事项{n}", competent_department_id=dept.id,
                              implementing_department_id=dept.id, category=ItemCategory.safety_health,
                              approval_level=ApprovalLevel.district, applicant_type=ApplicantType.both,
                              statutory_days=20, bases=[law_basis()], actor=staff)
        rnd = rounds.create_round(name="并发轮次", year=2026, actor=admin)
        rounds.add_items(rnd, actor=admin)
        for review in rnd.reviews:
            save_justification(review, actor=staff, reasons="依法设定")
            perform(review, "submit", actor=staff)
        tokens = defaultdict(list)
        for name, role in [("o1", Role.legal_officer), ("o2", Role.legal_officer), ("o3", Role.legal_officer),
                           ("a1", Role.approver), ("a2", Role.approver)]:
            user = create_user(name, display_name=name, password=TEST_PASSWORD, roles=[role])
            tokens[role.value].append((name, issue_token(user, name="load")[1]))
        db.session.commit()
        review_ids = sorted(r.id for r in rnd.reviews)
        seq = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
        db.engine.dispose()
    return review_ids, tokens, seq


def _request(base, review_id, action, user, token):
    body = {"action": action}
    if action == "propose":
        body.update(decision="keep", reason="设定依据为法律，予以保留")
    response = requests.post(f"{base}/api/v1/reviews/{review_id}/actions", json=body, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})
    return review_id, action, user, response.status_code, response.json()


def test_two_processes_200_concurrent_decisions(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        review_ids, tokens, seq_before = _prepare(url)
        rng = random.Random(6)  # noqa: S311  (a reproducible shuffle, not a secret)
        jobs = []
        for review_id in review_ids:
            for action in PLAN:
                user, token = rng.choice(tokens["approver" if action == "approve" else "legal_officer"])
                jobs.append((review_id, action, user, token))
        rng.shuffle(jobs)
        assert len(jobs) == 200
        with serve(url, tmp_path) as first, serve(url, tmp_path) as second:
            targets = [(first if i % 2 else second, *job) for i, job in enumerate(jobs)]
            with ThreadPoolExecutor(max_workers=32) as pool:
                results = list(pool.map(lambda t: _request(*t), targets))
        statuses = [r[3] for r in results]
        assert all(s < 500 for s in statuses), statuses
        assert set(statuses) == {200, 409}, statuses  # races happened; every refusal here is a conflict
        accepted = defaultdict(dict)
        for review_id, action, user, status, body in results:
            if status == 200:
                assert action not in accepted[review_id], f"two {action}s accepted on review {review_id}"
                accepted[review_id][action] = user
            else:
                assert body["status"] == 409 and body["request_id"]
        assert sum(len(a) for a in accepted.values()) >= REVIEWS  # every review was claimed at least

        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT r.id, r.state, c.username, p.username, a.username FROM reviews r "
                "LEFT JOIN users c ON c.id = r.claimed_by_id LEFT JOIN users p ON p.id = r.proposer_id "
                "LEFT JOIN users a ON a.id = r.approver_id")).all()
            for review_id, state, claimer, proposer, approver in rows:
                done = accepted.get(review_id, {})
                assert set(done) == set(ORDER[:len(done)]), (review_id, done)  # no step skipped
                expected = NEXT_STATE[ORDER[len(done) - 1]] if done else "submitted"
                assert state == expected, (review_id, done, state)
                assert (claimer, proposer, approver) == (done.get("claim"), done.get("propose"),
                                                         done.get("approve")), review_id
            events = conn.execute(sa.text(
                "SELECT entity_id, action, actor_username FROM audit_events WHERE seq > :s AND entity_type = 'reviews'"
                " ORDER BY seq"), {"s": seq_before}).all()
        engine.dispose()
        expected_events = sorted((str(rid), f"review.{act}", user) for rid, done in accepted.items()
                                 for act, user in done.items())
        assert sorted(tuple(e) for e in events) == expected_events

        app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            from registry.audit.chain import verify

            result = verify(db.session)
            assert result.ok, result
            db.engine.dispose()
