"""The inbox and the navigation's counts: what each role sees, and statements that do not grow."""
import pytest

from registry.auth.login import load_user
from registry.items.models import Decision, Department
from registry.review.models import ReviewRound, ReviewState, RoundState


@pytest.fixture
def waiting(create_item, create_review, create_round, dept_a, dept_b, people):
    """Reviews in every bucket: dept_a's drafts and a returned one, submitted, claimed, proposed."""
    open_round = create_round(state=RoundState.open)

    def review(dept, **fields):
        return create_review(create_item(department=dept), open_round, **fields)

    return {
        "draft_a": review(dept_a),
        "returned_a": review(dept_a, submitted_at=open_round.opened_at),
        "draft_b": review(dept_b),
        "submitted": [review(dept_b, state=ReviewState.submitted) for _ in range(3)],
        "claimed": review(dept_b, state=ReviewState.under_review, claimed_by_id=people["officer"].id),
        "claimed_by_both": review(dept_b, state=ReviewState.under_review, claimed_by_id=people["both"].id),
        "proposed_by_both": review(dept_b, state=ReviewState.proposed, proposer_id=people["both"].id,
                                   proposed_decision=Decision.keep, reason="法律设定"),
        "proposed": review(dept_b, state=ReviewState.proposed, proposer_id=people["officer"].id,
                           proposed_decision=Decision.keep, reason="法律设定"),
    }


def _codes(page: str, reviews) -> set[str]:
    return {r.item.code for r in reviews if r.item.code in page}


def test_each_role_sees_its_buckets(client, as_user, people, waiting):
    client.set_cookie("lang", "en")
    as_user(people["staff"])
    page = client.get("/inbox/").get_data(as_text=True)
    assert _codes(page, _all(waiting)) == {waiting["draft_a"].item.code, waiting["returned_a"].item.code}
    assert 'aria-label="2 waiting"' in page
    as_user(people["officer"])
    page = client.get("/inbox/").get_data(as_text=True)
    assert _codes(page, _all(waiting)) == {r.item.code for r in waiting["submitted"]} | {waiting["claimed"].item.code}
    assert "under review" in page and "submitted" in page  # the state labels, translated
    as_user(people["both"])
    page = client.get("/inbox/").get_data(as_text=True)
    # their own claim and the other officer's proposal; never their own proposal (four eyes)
    assert _codes(page, _all(waiting)) == {r.item.code for r in waiting["submitted"]} | {
        waiting["claimed_by_both"].item.code, waiting["proposed"].item.code}
    assert 'aria-label="5 waiting"' in page
    as_user(people["admin"])
    assert "Nothing waits for you." in client.get("/inbox/").get_data(as_text=True)


def _all(waiting):
    out = []
    for value in waiting.values():
        out.extend(value if isinstance(value, list) else [value])
    return out


def test_state_labels_follow_the_language_of_each_request(client, as_user, people, waiting):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    assert "under review" in client.get("/inbox/").get_data(as_text=True)
    client.set_cookie("lang", "zh-hant")
    page = client.get("/inbox/").get_data(as_text=True)
    assert "審查中" in page and "under review" not in page


def test_inbox_statements_do_not_grow_with_what_waits(client, as_user, people, waiting, create_item, create_review,
                                                      db, cold_get):
    as_user(people["officer"])
    client.set_cookie("lang", "en")
    round_id, dept_id = waiting["draft_b"].round_id, waiting["draft_b"].item.implementing_department_id
    few, page = cold_get("/inbox/")
    assert 'aria-label="4 waiting"' in page
    rnd, dept = db.session.get(ReviewRound, round_id), db.session.get(Department, dept_id)
    for _ in range(10):
        create_review(create_item(department=dept), rnd, state=ReviewState.submitted)
    many, page = cold_get("/inbox/")
    assert 'aria-label="14 waiting"' in page
    assert many == few <= 4  # the user with roles, the counts, one list per bucket


def test_a_session_user_loads_with_roles_in_one_statement(db, people, count_queries):
    key = people["both"].get_id()
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as n:
        user = load_user(key)
        roles = {r.value for r in user.roles}
    assert roles == {"legal_officer", "approver"} and n["n"] == 1
