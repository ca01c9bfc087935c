"""The audit guard: an audited table written without its audit event fails the transaction."""
import logging

import pytest
import sqlalchemy as sa

from registry.audit.chain import verify
from registry.audit.listeners import AuditGuardError, bulk, check, unaudited
from registry.audit.models import AuditEvent
from registry.audit.services import record
from registry.auth import services as auth_services
from registry.auth import tokens
from registry.auth.models import Role, User
from registry.items import services as item_services
from registry.items.models import Department, DepartmentKind, Item
from registry.review import rounds
from registry.review.models import Comment, CommentKind, ReviewState
from registry.review.services import add_comment, perform, save_justification
from tests.factories import law_basis


def test_unaudited_insert_fails_at_commit(db):
    db.session.add(Department(code="X01", name="未审计部门", kind=DepartmentKind.department))
    db.session.flush()
    assert unaudited(db.session) == [f"INSERT departments:{db.session.scalar(sa.select(sa.func.max(Department.id)))}"]
    with pytest.raises(AuditGuardError, match="departments"):
        db.session.commit()
    db.session.rollback()


def test_unaudited_update_fails(db, create_item):
    item = create_item()
    item.name = "悄悄改名"
    db.session.flush()
    with pytest.raises(AuditGuardError, match=f"UPDATE items:{item.id}"):
        check(db.session)
    record("item.update", entity=item, changes={"name": ["x", "悄悄改名"]})
    check(db.session)


def test_unaudited_delete_fails(db, create_user):
    user = create_user("gone", Role.legal_officer)
    db.session.delete(user)
    db.session.flush()
    with pytest.raises(AuditGuardError, match=f"DELETE users:{user.id}"):
        check(db.session)
    db.session.rollback()


def test_the_guard_is_on_in_the_test_app(app):
    assert app.config["AUDIT_GUARD"] == "raise"


def test_a_child_is_covered_by_its_parents_event(db, create_item, create_review, create_user):
    officer = create_user("officer", Role.legal_officer)
    review = create_review(create_item())
    review.comments.append(Comment(author_id=officer.id, kind=CommentKind.note, body="无事件的评论"))
    db.session.flush()
    with pytest.raises(AuditGuardError, match="comments"):
        check(db.session)
    record("review.note", actor=officer, entity=review)  # the review's event covers its comment
    check(db.session)


def test_bookkeeping_only_updates_need_no_event(db, create_item, create_review):
    review = create_review(create_item())
    review.updated_at = review.updated_at.replace(year=2030)
    db.session.flush()
    check(db.session)


def test_a_rolled_back_savepoint_takes_its_writes_with_it(db):
    with pytest.raises(RuntimeError):
        with db.session.begin_nested():
            db.session.add(Department(code="X02", name="回滚", kind=DepartmentKind.department))
            db.session.flush()
            raise RuntimeError
    check(db.session)


@pytest.mark.parametrize("statement", [
    lambda: sa.update(Item).values(notes="批量"),
    lambda: sa.delete(Item).where(Item.id < 0),
    lambda: sa.update(User.__table__).values(display_name="x"),
    lambda: sa.insert(Department).values(code="X03", name="批量", kind="department"),
])
def test_bulk_statements_on_audited_tables_are_refused(db, create_item, statement):
    create_item()
    with pytest.raises(AuditGuardError, match="bulk"):
        db.session.execute(statement())


def test_bulk_inside_bulk_context_is_allowed_and_audited(db, create_item, create_user):
    admin = create_user("admin", Role.admin)
    item = create_item()
    with bulk("item.bulk_update", entity_type="items", actor=admin, changes={"notes": [None, "批量"]},
              reason="test"):
        db.session.execute(sa.update(Item).where(Item.id == item.id).values(notes="批量"),
                           execution_options={"synchronize_session": False})
    db.session.commit()
    ev = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "item.bulk_update")).one()
    assert ev.entity_type == "items" and ev.entity_id == "*" and ev.actor_id == admin.id
    with pytest.raises(AuditGuardError):  # the permission ends with the block
        db.session.execute(sa.update(Item).values(notes="again"))


def test_warn_mode_logs_instead_of_raising(app, db, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "AUDIT_GUARD", "warn")
    db.session.add(Department(code="X04", name="警告", kind=DepartmentKind.department))
    with caplog.at_level(logging.ERROR, logger="registry.audit"):
        db.session.commit()
    assert "without an audit event" in caplog.text
    monkeypatch.setitem(app.config, "AUDIT_GUARD", "off")
    db.session.execute(sa.update(Department).where(Department.code == "X04").values(name="关"))


def test_every_write_path_records_its_events(db, create_user, dummy_department):
    """Each service, followed by a commit with the guard raising: none may miss its event."""
    admin = create_user("admin", Role.admin)
    staff = create_user("staff", Role.department_staff, department=dummy_department)
    officer = create_user("officer", Role.legal_officer)
    approver = create_user("approver", Role.approver)
    steps = []

    def step(name, fn):
        fn()
        db.session.commit()
        steps.append(name)

    dept = item_services.create_department(code="W01", name="写路径部门", kind=DepartmentKind.department, actor=admin)
    step("create_department", lambda: None)
    step("update_department", lambda: item_services.update_department(dept, actor=admin, name="改名部门"))
    item = item_services.create_item(code="W0001", name="写路径事项", competent_department_id=dummy_department.id,
                                     implementing_department_id=dummy_department.id, category="safety_health",
                                     approval_level="district", applicant_type="both", statutory_days=20,
                                     bases=[law_basis()], actor=staff)
    step("create_item", lambda: None)
    step("update_item", lambda: item_services.update_item(item, actor=staff, expected_version=item.version,
                                                          notes="新备注", bases=[law_basis(article="第三十条")]))
    step("create_user", lambda: auth_services.create_user("w_user", display_name="w", password="w-user fresh quartz lamp",
                                                          roles=[Role.approver], actor=admin))
    token, _plain = tokens.issue_token(officer, name="w", actor=admin)
    step("issue_token", lambda: None)
    step("touch_token", lambda: tokens.touch(token))
    step("revoke_token", lambda: tokens.revoke_token(token, actor=admin))
    step("end_sessions", lambda: auth_services.end_sessions(officer))
    step("record_failed_login", lambda: auth_services.record_failed_login("nobody"))
    rnd = rounds.create_round(name="写路径轮次", year=2026, actor=admin)
    step("create_round", lambda: None)
    step("add_items", lambda: rounds.add_items(rnd, actor=admin, department_ids=[dummy_department.id]))
    review = next(r for r in rnd.reviews if r.item_id == item.id)
    step("save_justification", lambda: save_justification(review, actor=staff, reasons="依据法律"))
    step("update_justification", lambda: save_justification(review, actor=staff, reasons="依据法律第二十七条"))
    step("submit", lambda: perform(review, "submit", actor=staff))
    step("claim", lambda: perform(review, "claim", actor=officer, reason="认领"))
    step("add_comment", lambda: add_comment(review, actor=officer, body="请补充材料"))
    step("return", lambda: perform(review, "return", actor=officer, reason="补充"))
    step("resubmit", lambda: perform(review, "submit", actor=staff, reason="已补充"))
    step("claim again", lambda: perform(review, "claim", actor=officer))
    step("propose", lambda: perform(review, "propose", actor=officer, decision="pending", reason="对接",
                                    pending_on="省级清单"))
    step("send_back", lambda: perform(review, "send_back", actor=approver, reason="再议"))
    step("propose again", lambda: perform(review, "propose", actor=officer, decision="pending", reason="对接",
                                          pending_on="省级清单"))
    step("approve", lambda: perform(review, "approve", actor=approver))
    step("close_round", lambda: rounds.close_round(rnd, actor=admin))
    step("publish_round", lambda: rounds.publish_round(rnd, actor=admin))
    step("reopen", lambda: perform(review, "reopen", actor=officer, reason="上级已决定"))
    assert review.state is ReviewState.under_review and len(steps) == 27
    assert verify(db.session).ok


def test_seeding_passes_the_guard(db):
    from registry import seeding

    seeding.seed()
    db.session.commit()
    seeding.seed_demo_users()
    db.session.commit()
    assert not unaudited(db.session)
