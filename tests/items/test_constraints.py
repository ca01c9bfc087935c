"""The database itself rejects bad data, whatever the application does."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from registry.items.models import Item
from registry.review.models import Review


def _raw_item(db, dummy_department, **overrides):
    values = {
        "code": "RAW0001", "name": "原始插入", "competent_department_id": dummy_department.id,
        "implementing_department_id": dummy_department.id, "category": "safety_health",
        "approval_level": "district", "applicant_type": "both", "conditions": "", "materials": "",
        "procedure": "", "statutory_days": 20, "committed_days": 10, "fee_charged": False, "fee_rate": "",
        "fee_basis": "", "licence_document": "", "validity": "", "notes": "", "decision_reason": "",
        "version": 1,
    }
    values.update(overrides)
    # Plain SQL, so no ORM or type-level validation runs: only the database's own checks.
    cols = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    db.session.execute(sa.text(f"INSERT INTO items ({cols}, created_at, updated_at) "
                               f"VALUES ({params}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), values)


def test_duplicate_item_code_is_rejected(db, create_item):
    create_item("DUP001")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            create_item("DUP001")


def test_committed_time_limit_above_statutory_is_rejected_by_the_database(db, dummy_department):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            _raw_item(db, dummy_department, statutory_days=20, committed_days=21)


def test_committed_equal_to_statutory_is_accepted(db, dummy_department):
    _raw_item(db, dummy_department, statutory_days=20, committed_days=20)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code == "RAW0001")) == 1


@pytest.mark.parametrize("column,value", [
    ("category", "tourism"), ("approval_level", "galaxy"), ("applicant_type", "robot"), ("decision", "maybe"),
])
def test_unknown_enum_value_is_rejected_by_the_database(db, dummy_department, column, value):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            _raw_item(db, dummy_department, **{column: value})


def test_unknown_enum_value_is_rejected_by_the_orm_too(db, create_item):
    item = create_item()
    item.category = "tourism"
    with pytest.raises((StatementError, LookupError)):
        with db.session.begin_nested():
            db.session.flush()


def test_foreign_keys_are_enforced(db, dummy_department):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            _raw_item(db, dummy_department, competent_department_id=999999)


def test_four_eyes_rule_is_enforced_by_the_database(db, create_item, create_user, create_review):
    from registry.auth.models import Role

    officer = create_user("both", Role.legal_officer, Role.approver)
    review = create_review(create_item())
    review.proposer_id = officer.id
    review.approver_id = officer.id
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_pending_proposal_must_name_what_it_waits_on(db, create_item, create_review):
    review = create_review(create_item())
    review.proposed_decision = "pending"
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_item_and_round_are_unique_per_review(db, create_item, create_round, create_review):
    item, rnd = create_item(), create_round()
    create_review(item, rnd)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Review(item=item, round=rnd))
            db.session.flush()


def test_department_in_use_cannot_be_deleted(db, create_item, dummy_department):
    create_item()
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.connection().execute(sa.delete(dummy_department.__table__).where(  # below the ORM guard
                dummy_department.__table__.c.id == dummy_department.id))
