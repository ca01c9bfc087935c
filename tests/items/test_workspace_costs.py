"""The workspace's item list: statements that do not grow with the items and reviews shown."""
import pytest

from registry.items.models import Department
from registry.review.models import ReviewRound, ReviewState, RoundState


@pytest.mark.parametrize("who", ["staff", "officer"])
def test_item_list_statements_do_not_grow(client, as_user, people, dept_a, create_item, create_review, create_round,
                                          db, cold_get, who):
    old, new = create_round(year=2025, state=RoundState.closed), create_round(year=2026)
    round_ids, dept_id = (old.id, new.id), dept_a.id

    def add_items(n):
        rounds = [db.session.get(ReviewRound, i) for i in round_ids]
        dept = db.session.get(Department, dept_id)
        for _ in range(n):
            item = create_item(department=dept)
            create_review(item, rounds[0], state=ReviewState.decided, final_decision="keep")
            create_review(item, rounds[1], state=ReviewState.submitted)

    as_user(people[who])
    client.set_cookie("lang", "en")
    add_items(2)
    few, page = cold_get("/workspace/items/")
    assert page.count("submitted</a>") == 2  # each item's latest review, with its round
    add_items(18)
    many, page = cold_get("/workspace/items/")
    assert page.count("submitted</a>") == 20
    # the user with roles, the page of items, their count, their latest reviews with rounds, the nav counts,
    # and the departments (the staff member's own, or the filter's list for an officer)
    assert many == few <= 6
