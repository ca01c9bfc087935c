"""Rounds for admins, reopen of a published pending item, the audit view and its export, the inbox."""
import csv
import io

import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.items.models import Decision
from registry.review.models import Review, ReviewRound, ReviewState, RoundState
from registry.review.services import perform


def test_round_create_add_items_close_publish(client, as_user, people, item_a, create_item, dept_b, db):
    b_item = create_item(department=dept_b)
    as_user(people["admin"])
    client.set_cookie("lang", "en")
    resp = client.post("/admin/rounds/new", data={"name": "2026 年度评估", "year": 2026})
    rnd = db.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == "2026 年度评估"))
    assert resp.status_code == 302 and rnd.state is RoundState.open
    dup = client.post("/admin/rounds/new", data={"name": "2026 年度评估", "year": 2026})
    assert dup.status_code == 422 and "A round with this name exists" in dup.get_data(as_text=True)
    resp = client.post(f"/admin/rounds/{rnd.id}/items", data={"scope": "departments", "departments": [dept_b.id]},
                       follow_redirects=True)
    assert "1 items added" in resp.get_data(as_text=True)
    reviews = db.session.scalars(sa.select(Review).where(Review.round_id == rnd.id)).all()
    assert [r.item_id for r in reviews] == [b_item.id]
    client.post(f"/admin/rounds/{rnd.id}/items", data={"scope": "all"})
    assert db.session.scalar(sa.select(sa.func.count()).where(Review.round_id == rnd.id)) >= 2
    # decide one review, then publish the round
    review = db.session.scalar(sa.select(Review).where(Review.round_id == rnd.id, Review.item_id == item_a.id))
    perform(review, "submit", actor=people["staff"], reason="理由")
    perform(review, "claim", actor=people["officer"])
    perform(review, "propose", actor=people["officer"], decision="keep", reason="法律设定")
    perform(review, "approve", actor=people["approver"])
    db.session.commit()
    assert client.post(f"/admin/rounds/{rnd.id}/close").status_code == 302
    assert rnd.state is RoundState.closed
    resp = client.post(f"/admin/rounds/{rnd.id}/publish", follow_redirects=True)
    assert "1 decisions published" in resp.get_data(as_text=True)
    assert rnd.state is RoundState.published and item_a.decision is Decision.keep
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "round.publish")) == 1
    again = client.post(f"/admin/rounds/{rnd.id}/publish", follow_redirects=True)
    assert "already published" in again.get_data(as_text=True)


def test_published_pending_item_can_be_reopened_by_an_officer(client, as_user, people, review_a, db):
    perform(review_a, "submit", actor=people["staff"], reason="理由")
    perform(review_a, "claim", actor=people["officer"])
    perform(review_a, "propose", actor=people["officer"], decision="pending", reason="部门规章",
            pending_on="省级清单")
    perform(review_a, "approve", actor=people["approver"])
    perform(review_a, "publish", actor=people["admin"])
    db.session.commit()
    as_user(people["officer"])
    page = client.get(f"/reviews/{review_a.id}").get_data(as_text=True)
    assert 'value="reopen"' in page
    resp = client.post(f"/reviews/{review_a.id}/act", data={"action": "reopen", "reason": "省级已取消",
                                                            "version": review_a.version})
    assert resp.status_code == 302 and review_a.state is ReviewState.under_review


def test_audit_view_filters_and_export_is_audited(client, as_user, people, item_a, db):
    as_user(people["admin"])
    client.set_cookie("lang", "en")
    text = client.get("/admin/audit/?entity_type=items").get_data(as_text=True)
    assert "Item created" in text
    assert "Item created" not in client.get("/admin/audit/?who=nobody").get_data(as_text=True)
    assert "Item created" not in client.get("/admin/audit/?from=2999-01-01").get_data(as_text=True)
    assert client.get("/admin/audit/?from=garbage&page=1").status_code == 200
    resp = client.post("/admin/audit/export", data={"entity_type": "items"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "seq" and all(r[6] == "items" for r in rows[1:]) and len(rows) > 1
    ev = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audit.export"))
    assert ev.actor_username == "admin" and '"entity_type":"items"' in ev.changes


def test_inbox_counts_for_each_role(client, as_user, people, review_a, create_item, create_review, dept_a, db,
                                    count_queries):
    second = create_review(create_item(department=dept_a))
    perform(review_a, "submit", actor=people["staff"], reason="理由")
    perform(second, "submit", actor=people["staff"], reason="理由")
    perform(second, "claim", actor=people["officer"])
    db.session.commit()
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    text = client.get("/inbox/").get_data(as_text=True)
    assert "Submitted, not yet claimed" in text and "Reviews I claimed" in text
    assert 'aria-label="2 waiting"' in text
    with count_queries() as n:
        client.get("/workspace/items/")
    assert n["n"] <= 8  # the nav counts are one query, not one per bucket
    perform(second, "propose", actor=people["officer"], decision="keep", reason="法律")
    db.session.commit()
    as_user(people["both"])
    assert 'aria-label="2 waiting"' in client.get("/inbox/").get_data(as_text=True)  # unclaimed + approval
    as_user(people["officer"])
    assert 'aria-label="1 waiting"' in client.get("/inbox/").get_data(as_text=True)  # the proposed review left their claimed list
