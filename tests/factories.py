"""``create_x`` fixtures (factories) and ``dummy_x`` fixtures (one ready object), all via services."""
from __future__ import annotations

import itertools

import pytest

from registry.audit.services import record, snapshot
from registry.auth.models import Role
from registry.auth.services import create_user as _create_user
from registry.items import services as item_services
from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    DepartmentKind,
    InstrumentType,
    IssuerLevel,
    ItemCategory,
)
from registry.review.models import Review, ReviewRound, RoundState

_seq = itertools.count(1)
TEST_PASSWORD = "correct horse battery"


def _flushed(obj):
    """Write the object's audit event now, so a test's failing savepoint cannot take it away."""
    from registry.extensions import db

    db.session.flush()
    return obj


def law_basis(**overrides) -> dict:
    basis = {
        "kind": BasisKind.setting, "instrument_type": InstrumentType.law, "issuer_level": IssuerLevel.national,
        "title": "《中华人民共和国食品卫生法》", "issuer": "全国人大常委会", "document_number": "主席令第59号",
        "article": "第二十七条",
    }
    basis.update(overrides)
    return basis


@pytest.fixture
def create_department(db):
    def _create(code: str | None = None, name: str | None = None, kind=DepartmentKind.department):
        n = next(_seq)
        return _flushed(item_services.create_department(code=code or f"T{n:03d}", name=name or f"测试部门{n}",
                                                        kind=kind))

    return _create


@pytest.fixture
def dummy_department(create_department):
    return create_department()


@pytest.fixture
def create_item(db, dummy_department):
    def _create(code: str | None = None, *, department=None, bases=None, **fields):
        n = next(_seq)
        dept = department or dummy_department
        values = {
            "name": f"测试许可事项{n}", "competent_department_id": dept.id, "implementing_department_id": dept.id,
            "category": ItemCategory.safety_health, "approval_level": ApprovalLevel.district,
            "applicant_type": ApplicantType.both, "statutory_days": 20, "committed_days": 15,
        }
        values.update(fields)
        return _flushed(item_services.create_item(code=code or f"TX{n:06d}",
                                                  bases=[law_basis()] if bases is None else bases, **values))

    return _create


@pytest.fixture
def create_user(db, dummy_department):
    def _create(username: str | None = None, *roles: Role, department=None, password: str = TEST_PASSWORD):
        roles = roles or (Role.department_staff,)
        if Role.department_staff in roles and department is None:
            department = dummy_department
        return _flushed(_create_user(username or f"user{next(_seq)}", display_name=username or "测试用户",
                                     password=password, roles=roles, department=department))

    return _create


@pytest.fixture
def create_round(db):
    def _create(name: str | None = None, year: int = 2026, state=RoundState.open):
        rnd = ReviewRound(name=name or f"测试轮次{next(_seq)}", year=year, state=state)
        db.session.add(rnd)
        db.session.flush()
        record("round.create", entity=rnd, changes=snapshot(rnd), reason="test factory")
        return _flushed(rnd)

    return _create


@pytest.fixture
def create_review(db, create_round):
    def _create(item, rnd=None, **fields):
        review = Review(item=item, round=rnd or create_round(), **fields)
        db.session.add(review)
        db.session.flush()
        record("review.create", entity=review, changes=snapshot(review), reason="test factory")
        return _flushed(review)

    return _create
