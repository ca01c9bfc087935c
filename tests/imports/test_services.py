"""Planning and running imports: new / changed / unchanged, scope, audit, all or nothing."""
import json

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.errors_domain import NotAllowed, ValidationFailed
from registry.imports.services import plan_import, run_import, sha256_of
from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    InstrumentType,
    IssuerLevel,
    Item,
    ItemCategory,
)
from tests.imports.helpers import csv_bytes, row, xlsx_bytes


def events(db, action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


@pytest.fixture
def dept(create_department):
    return create_department("IMP1", "导入测试部门")


@pytest.fixture
def admin(create_user):
    return create_user("imp_admin", Role.admin)


def test_a_clean_file_creates_items_with_bases_and_audits_each_and_the_run(db, dept, admin):
    data = xlsx_bytes([row("N1", "IMP1"), row("N2", "IMP1", basis_instrument_type="无", basis_issuer_level="")])
    plan = plan_import(data, "items.xlsx", actor=admin)
    assert plan.ok and (len(plan.new), len(plan.changed), plan.unchanged) == (2, 0, 0)
    counts = run_import(plan, actor=admin)
    assert counts == {"new": 2, "changed": 0, "unchanged": 0}
    item = db.session.scalar(sa.select(Item).where(Item.code == "N1"))
    assert item.implementing_department_id == dept.id and item.statutory_days == 20
    assert [b.instrument_type for b in item.setting_bases] == [InstrumentType.administrative_regulation]
    creates = events(db, "item.create")
    assert {e.entity_id for e in creates} >= {str(item.id)} and all(e.actor_username == "imp_admin" for e in creates)
    run = events(db, "import.run")[-1]
    assert run.actor_username == "imp_admin" and run.entity_id == sha256_of(data)
    assert json.loads(run.changes)["new"] == [None, 2] and run.reason == "items.xlsx"


def test_importing_the_same_file_again_changes_nothing(db, dept, admin):
    data = xlsx_bytes([row("S1", "IMP1"), row("S2", "IMP1")])
    run_import(plan_import(data, "a.xlsx", actor=admin), actor=admin)
    versions = dict(db.session.execute(sa.select(Item.code, Item.version).where(Item.code.in_(["S1", "S2"]))).all())
    item_events = len(events(db, "item.create")) + len(events(db, "item.update"))
    again = plan_import(data, "a.xlsx", actor=admin)
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 2)
    run_import(again, actor=admin)
    assert dict(db.session.execute(sa.select(Item.code, Item.version).where(Item.code.in_(["S1", "S2"]))).all()) == versions
    assert len(events(db, "item.create")) + len(events(db, "item.update")) == item_events


def test_a_changed_row_updates_only_what_changed_and_keeps_implementing_bases(db, dept, admin, create_item):
    from tests.factories import law_basis

    item = create_item("C1", department=dept, bases=[
        law_basis(), law_basis(kind=BasisKind.implementing, instrument_type=InstrumentType.provincial_rule,
                               issuer_level=IssuerLevel.provincial, title="实施办法")])
    same = row("C1", "IMP1", name=item.name, category="安全健康", applicant_type="公民、法人或其他组织",
               conditions=item.conditions, materials=item.materials, procedure=item.procedure,
               licence_document="", validity="", basis_instrument_type="法律", basis_title="《中华人民共和国食品卫生法》",
               basis_issuer="全国人大常委会", basis_document_number="主席令第59号", basis_article="第二十七条",
               basis_effective_date="")
    assert plan_import(xlsx_bytes([same]), "x.xlsx", actor=admin).unchanged == 1
    changed = list(same)
    changed[12] = 10  # committed days
    plan = plan_import(xlsx_bytes([changed]), "x.xlsx", actor=admin)
    assert plan.changed[0].changed == ["committed_days"]
    run_import(plan, actor=admin)
    assert item.committed_days == 10 and len(item.implementing_bases) == 1
    update = events(db, "item.update")[-1]
    assert json.loads(update.changes) == {"committed_days": [15, 10]} and item.version == 2


def test_department_staff_import_only_their_own_department(db, dept, create_department, create_user, create_item):
    other = create_department("IMP2", "另一个部门")
    staff = create_user("imp_staff", Role.department_staff, department=dept)
    create_item("THEIRS", department=other)
    plan = plan_import(xlsx_bytes([row("MINE", "IMP1"), row("NOTMINE", "IMP2"), row("THEIRS", "IMP1")]), "x.xlsx",
                       actor=staff)
    assert [e.row for e in plan.errors] == [3, 4]
    assert all("属于其他部门" in str(e) for e in plan.errors), "messages default to Simplified Chinese"
    with pytest.raises(ValidationFailed):
        run_import(plan, actor=staff)
    assert db.session.scalar(sa.select(Item).where(Item.code == "MINE")) is None


def test_officers_may_not_import(create_user, dept):
    officer = create_user("imp_officer", Role.legal_officer)
    with pytest.raises(NotAllowed):
        plan_import(xlsx_bytes([row("X1", "IMP1")]), "x.xlsx", actor=officer)


def test_sub_items_may_come_before_their_parent_and_unknown_parents_are_errors(db, dept, admin):
    data = csv_bytes([row("P1-01", "IMP1", parent_code="P1"), row("P1", "IMP1")])
    run_import(plan_import(data, "x.csv", actor=admin), actor=admin)
    child = db.session.scalar(sa.select(Item).where(Item.code == "P1-01"))
    assert child.parent.code == "P1"
    plan = plan_import(csv_bytes([row("Q1-01", "IMP1", parent_code="Q1")]), "x.csv", actor=admin)
    assert "既不在系统中，也不在文件中" in str(plan.errors[0])
    cycle = plan_import(csv_bytes([row("R1", "IMP1", parent_code="R2"), row("R2", "IMP1", parent_code="R1")]),
                        "x.csv", actor=admin)
    assert len(cycle.errors) == 2 and "循环" in str(cycle.errors[0])


def test_the_command_line_system_user_may_import_any_department(db, dept):
    plan = plan_import(xlsx_bytes([row("SYS1", "IMP1")]), "x.xlsx", actor=None)
    run_import(plan, actor=None)
    assert events(db, "import.run")[-1].actor_username == "system"


def test_bulk_creation_audits_each_item_exactly_as_create_item_does(db, dept):
    from registry.items import services as item_services
    from tests.factories import law_basis

    fields = {"name": "同一事项", "competent_department_id": dept.id, "implementing_department_id": dept.id,
              "category": ItemCategory.safety_health, "approval_level": ApprovalLevel.district,
              "applicant_type": ApplicantType.both, "statutory_days": 20, "committed_days": 5}
    one = item_services.create_item(code="ONE1", bases=[law_basis()], **fields)
    (bulk,) = item_services.create_items([{"code": "BULK1", "bases": [law_basis()], **fields}])
    db.session.flush()
    audit = {e.entity_id: json.loads(e.changes) for e in events(db, "item.create")}
    a, b = audit[str(one.id)], audit[str(bulk.id)]
    assert a.pop("code") == [None, "ONE1"] and b.pop("code") == [None, "BULK1"]
    assert a == b
    with pytest.raises(ValidationFailed):
        item_services.create_items([{"code": "BAD1", **fields, "committed_days": 50}])
