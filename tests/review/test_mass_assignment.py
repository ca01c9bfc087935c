"""Unknown or privileged fields in forms and API bodies are ignored, never assigned."""
import pytest

from registry.auth.tokens import issue_token
from registry.extensions import db
from registry.items.models import Item
from registry.review.models import Review, ReviewState

#: what an attacker adds to every request
EXTRA = {"state": "published", "decision": "keep", "final_decision": "keep", "proposed_decision": "abolish",
         "department_id": None, "implementing_department_id": None, "competent_department_id": None,
         "proposer_id": "1", "approver_id": "1", "is_active": "0", "round_id": "1", "item_id": "1", "id": "4242",
         "code": "HACKED01", "published_at": "2000-01-01", "roles": "admin"}


def _extra(other_dept):
    return {k: (str(other_dept.id) if v is None else v) for k, v in EXTRA.items()}


def _snapshot(obj) -> dict:
    db.session.expire_all()
    obj = db.session.get(type(obj), obj.id)
    return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs if c.key not in ("updated_at",)}


def _item_form(item, **over):
    data = {"name": item.name, "department_id": str(item.implementing_department_id), "category": item.category.value,
            "approval_level": item.approval_level.value, "applicant_type": item.applicant_type.value,
            "statutory_days": str(item.statutory_days), "committed_days": str(item.committed_days or ""),
            "version": str(item.version)}
    data.update(over)
    return data


def test_item_edit_ignores_state_decision_department_and_code(client, as_user, people, item_a, dept_b):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    before = _snapshot(item_a)
    data = {**_extra(dept_b), **_item_form(item_a, notes="只改备注")}
    response = client.post(f"/workspace/items/{item_a.id}/edit", data=data)
    assert response.status_code == 302
    after = _snapshot(item_a)
    assert after["notes"] == "只改备注"
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"notes", "version"}
    assert after["implementing_department_id"] == before["implementing_department_id"]
    assert after["decision"] is None and after["code"] == "XA0001"


def test_item_edit_with_a_forged_version_changes_nothing(client, as_user, people, item_a):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    before = _snapshot(item_a)
    response = client.post(f"/workspace/items/{item_a.id}/edit", data=_item_form(item_a, version="999", notes="x"))
    assert response.status_code == 409
    assert _snapshot(item_a) == before


def test_new_item_cannot_be_placed_in_another_department(client, as_user, people, item_a, dept_b):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    count = db.session.query(Item).count()
    data = {**_item_form(item_a, name="新事项"), "department_id": str(dept_b.id), "code": "NEW0001",
            "decision": "keep", "version": "999"}
    response = client.post("/workspace/items/new", data=data)
    assert response.status_code == 422
    assert db.session.query(Item).count() == count


def test_new_item_ignores_decision_and_version(client, as_user, people, item_a, dept_a):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    data = {**_item_form(item_a, name="新事项"), "code": "NEW0002", "decision": "keep", "version": "999",
            "state": "published"}
    assert client.post("/workspace/items/new", data=data).status_code == 302
    item = db.session.query(Item).filter_by(code="NEW0002").one()
    assert item.decision is None and item.version == 1 and item.implementing_department_id == dept_a.id


def test_review_action_ignores_state_decision_and_owner_fields(client, as_user, people, review_a, dept_b):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    client.post(f"/reviews/{review_a.id}/justification", data={
        "reasons": "依法设定", "version": str(review_a.item.version), "review_version": str(review_a.version),
        "save": "1"})
    data = {**_extra(dept_b), "action": "submit", "version": str(_snapshot(review_a)["version"])}
    response = client.post(f"/reviews/{review_a.id}/act", data=data)
    assert response.status_code == 302
    after = _snapshot(review_a)
    assert after["state"] == ReviewState.submitted
    assert after["proposed_decision"] is None and after["final_decision"] is None
    assert after["proposer_id"] is None and after["approver_id"] is None and after["published_at"] is None
    assert after["item_id"] == review_a.item_id and after["round_id"] == review_a.round_id


def test_review_action_with_a_forged_version_changes_nothing(client, as_user, people, review_a):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    before = _snapshot(review_a)
    response = client.post(f"/reviews/{review_a.id}/act", data={"action": "submit", "version": "999"})
    assert response.status_code == 409
    assert _snapshot(review_a) == before


def test_justification_ignores_state_and_decision(client, as_user, people, review_a, item_a, dept_b):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    as_user(people["staff"])
    data = {**_extra(dept_b), "reasons": "依法设定", "version": str(item_a.version),
            "review_version": str(review_a.version), "save": "1"}
    assert client.post(f"/reviews/{review_a.id}/justification", data=data).status_code == 302
    after = _snapshot(review_a)
    assert after["state"] == ReviewState.draft and after["final_decision"] is None
    assert _snapshot(item_a)["implementing_department_id"] == item_a.implementing_department_id


@pytest.fixture
def officer_token(people):
    _token, plain = issue_token(people["officer"], name="t")
    return {"Authorization": f"Bearer {plain}"}


def test_api_ignores_unknown_fields(client, officer_token, review_a, dept_b):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    review_a.state = ReviewState.submitted
    from registry.audit.services import diff, record

    changes = diff(review_a)
    db.session.flush()
    record("review.test_setup", entity=review_a, changes=changes)
    db.session.commit()
    body = {**_extra(dept_b), "action": "claim", "proposer_id": 1, "final_decision": "keep", "version": None}
    response = client.post(f"/api/v1/reviews/{review_a.id}/actions", json=body, headers=officer_token)
    assert response.status_code == 200, response.get_json()
    after = _snapshot(review_a)
    assert after["state"] == ReviewState.under_review and after["final_decision"] is None
    assert after["proposer_id"] is None and after["published_at"] is None


def test_api_forged_version_is_a_conflict(client, officer_token, review_a):
    db.session.commit()  # the fixtures survive the request\'s own rollback
    before = _snapshot(review_a)
    response = client.post(f"/api/v1/reviews/{review_a.id}/actions", json={"action": "claim", "version": 999},
                           headers=officer_token)
    assert response.status_code == 409
    assert _snapshot(review_a) == before
    assert db.session.get(Review, review_a.id).state == ReviewState.draft
