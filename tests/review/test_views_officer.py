"""Legal officer and approver workspaces: queue, claim, propose, refused actions, bulk approval."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.audit.services import record
from registry.db import utcnow
from registry.items.models import Decision
from registry.review.models import ReviewState
from registry.review.services import perform


@pytest.fixture
def submitted(review_a, people, db):
    perform(review_a, "submit", actor=people["staff"], reason="依据法律设定")
    db.session.commit()
    return review_a


def test_queue_filters_by_department_state_and_age(client, as_user, people, submitted, create_item,
                                                   create_review, dept_b, db):
    other = create_review(create_item("XB0002", department=dept_b, name="乙待审"))
    perform(other, "submit", actor=people["other"], reason="理由")
    other.submitted_at = utcnow() - timedelta(days=30)
    db.session.flush()
    record("review.backdate", entity=other, reason="test: an old submission")  # the audit guard wants an event
    as_user(people["officer"])
    assert "甲许可" in client.get("/reviews/queue").get_data(as_text=True)
    only_b = client.get(f"/reviews/queue?department={dept_b.id}").get_data(as_text=True)
    assert "乙待审" in only_b and "甲许可" not in only_b
    old = client.get("/reviews/queue?age=10").get_data(as_text=True)
    assert "乙待审" in old and "甲许可" not in old
    assert "甲许可" not in client.get("/reviews/queue?state=under_review").get_data(as_text=True)
    assert client.get("/reviews/queue?sort=nonsense&state=bogus&age=x").status_code == 200


def test_page_shows_suggestion_with_article_and_actions_from_the_table(client, as_user, people, submitted):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    text = client.get(f"/reviews/{submitted.id}").get_data(as_text=True)
    assert "Legal-basis check" in text and "Art. 14" in text
    assert 'value="claim"' in text and 'value="propose"' not in text
    as_user(people["staff"])
    assert 'value="claim"' not in client.get(f"/reviews/{submitted.id}").get_data(as_text=True)


def test_claim_then_propose_pending_needs_what_it_waits_on(client, as_user, people, submitted, db):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    assert client.post(f"/reviews/{submitted.id}/act", data={"action": "claim",
                                                             "version": submitted.version}).status_code == 302
    assert submitted.state is ReviewState.under_review and submitted.claimed_by_id == people["officer"].id
    resp = client.post(f"/reviews/{submitted.id}/act", data={
        "action": "propose", "decision": "pending", "reason": "部门规章设定", "version": submitted.version})
    assert resp.status_code == 422 and "must name the higher-level body" in resp.get_data(as_text=True)
    assert submitted.state is ReviewState.under_review
    resp = client.post(f"/reviews/{submitted.id}/act", data={
        "action": "propose", "decision": "pending", "reason": "部门规章设定", "pending_on": "省政府清单",
        "version": submitted.version})
    assert resp.status_code == 302
    assert submitted.state is ReviewState.proposed and submitted.pending_on == "省政府清单"


def test_an_action_not_allowed_now_is_a_message_not_a_500(client, as_user, people, submitted):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/reviews/{submitted.id}/act", data={"action": "propose", "decision": "keep",
                                                             "reason": "x"})
    assert resp.status_code == 409 and "not possible while the review is submitted" in resp.get_data(as_text=True)
    resp = client.post(f"/reviews/{submitted.id}/act", data={"action": "fly"})
    assert resp.status_code == 422 and "Unknown action" in resp.get_data(as_text=True)
    resp = client.post(f"/reviews/{submitted.id}/act", data={"action": "approve"})
    assert resp.status_code == 403 and "Your role may not do this" in resp.get_data(as_text=True)


def test_stale_action_names_who_changed_it(client, as_user, people, submitted, db):
    loaded = submitted.version
    perform(submitted, "claim", actor=people["both"])
    db.session.commit()
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/reviews/{submitted.id}/act", data={"action": "return", "reason": "补材料",
                                                             "version": loaded})
    assert resp.status_code == 409
    assert "Changed by both at" in resp.get_data(as_text=True)
    assert submitted.state is ReviewState.under_review


def test_comment_and_history_side_by_side(client, as_user, people, submitted):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    assert client.post(f"/reviews/{submitted.id}/comments", data={"body": "请说明收费依据", "kind": "question"}
                       ).status_code == 302
    text = client.get(f"/reviews/{submitted.id}").get_data(as_text=True)
    assert "请说明收费依据" in text and "Submitted" in text and 'class="case-history"' in text
    hist = client.get(f"/reviews/{submitted.id}/history").get_data(as_text=True)
    assert "Comment" in hist and "draft" in hist and "submitted" in hist


def _proposed(create_item, create_review, dept_a, people, proposer, n):
    out = []
    for _i in range(n):
        r = create_review(create_item(department=dept_a))
        perform(r, "submit", actor=people["staff"], reason="理由")
        perform(r, "claim", actor=proposer)
        perform(r, "propose", actor=proposer, decision="keep", reason="法律设定")
        out.append(r)
    return out


def test_bulk_approval_checks_each_and_skips_own_proposals(client, as_user, people, create_item, create_review,
                                                           dept_a, db):
    theirs = _proposed(create_item, create_review, dept_a, people, people["officer"], 2)
    mine = _proposed(create_item, create_review, dept_a, people, people["both"], 1)
    db.session.commit()
    as_user(people["both"])
    client.set_cookie("lang", "en")
    page = client.get("/reviews/approvals").get_data(as_text=True)
    assert "your proposal" in page
    resp = client.post("/reviews/approvals/approve", data={"review_id": [str(r.id) for r in theirs + mine]},
                       follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert "2 proposals approved" in text and "Skipped 1 proposals you made yourself" in text
    assert [r.state for r in theirs] == [ReviewState.decided] * 2 and mine[0].state is ReviewState.proposed
    assert all(r.final_decision is Decision.keep for r in theirs)
    approvals = db.session.scalars(sa.select(AuditEvent.entity_id).where(AuditEvent.action == "review.approve")).all()
    assert sorted(approvals) == sorted(str(r.id) for r in theirs)


def test_send_back_needs_a_reason(client, as_user, people, create_item, create_review, dept_a, db):
    (r,) = _proposed(create_item, create_review, dept_a, people, people["officer"], 1)
    db.session.commit()
    as_user(people["approver"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/reviews/{r.id}/act", data={"action": "send_back", "version": r.version})
    assert resp.status_code == 422 and "A reason is required" in resp.get_data(as_text=True)
    assert client.post(f"/reviews/{r.id}/act", data={"action": "send_back", "reason": "依据引用有误",
                                                      "version": r.version}).status_code == 302
    assert r.state is ReviewState.under_review


def test_history_names_the_item_and_round_instead_of_ids(client, as_user, people, review_a):
    from registry.audit.history import events_for, render

    entries = render(events_for([("reviews", review_a.id)]))
    text = repr([e.__dict__ if hasattr(e, "__dict__") else e for e in entries])
    assert review_a.item.name in text and review_a.round.name in text


def test_history_names_the_case_of_a_justification(people, review_a):
    from registry.audit.history import events_for, render
    from registry.review.services import save_justification

    justification = save_justification(review_a, actor=people["staff"], reasons="依法设定")
    (entry,) = render(events_for([("justifications", justification.id)]))
    case = f"{review_a.round.name} · {review_a.item.code} {review_a.item.name}"
    assert case in [change.new for change in entry.changes]
    assert not any(change.new.startswith("#") for change in entry.changes)
