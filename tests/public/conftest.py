"""A small published register for the public portal tests, built through the services."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from registry.audit.services import record, snapshot
from registry.items.models import ApprovalLevel, Decision, InstrumentType, IssuerLevel, ItemCategory
from registry.review.models import Review, ReviewState, RoundState
from tests.factories import law_basis

LANGS = ("zh-hans", "zh-hant", "en")
DRAFT_NAME = "绝密草稿事项ZQX9"


class _FreshLocaleClient(FlaskClient):
    """The tests' app context outlives each request, and Flask-Babel caches the locale on it:
    forget it before every request, as a real server (one app context per request) does."""

    def open(self, *args, **kwargs):
        from flask_babel import refresh

        refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = _FreshLocaleClient
    try:
        yield app.test_client()
    finally:
        app.test_client_class = None


@pytest.fixture
def publish(db, create_round):
    """Publish ``decision`` for ``item`` in a round (as the review workflow's last step does)."""

    def _publish(item, decision: Decision, *, reason: str = "依据充分", rnd=None, when=None, pending_on=None):
        rnd = rnd or create_round(state=RoundState.published)
        when = when or datetime(2004, 6, 30, tzinfo=UTC)
        if rnd.published_at is None:
            rnd.published_at = when
            db.session.flush()
            record("round.publish", entity=rnd, changes={"published_at": [None, when.isoformat()]}, reason="test")
        review = Review(item=item, round=rnd, state=ReviewState.published, proposed_decision=decision,
                        final_decision=decision, reason=reason, published_at=when,
                        pending_on=pending_on or ("省市场监管局" if decision is Decision.pending else None))
        db.session.add(review)
        item.decision, item.decision_reason, item.decision_published_at = decision, reason, when
        db.session.flush()
        record("review.import", entity=review, changes=snapshot(review), reason="test: published decision")
        record("item.publish_decision", entity=item, reason=rnd.name, changes={"decision": [None, decision.value]})
        return review

    return _publish


@dataclass
class Portal:
    rnd: object
    depts: dict
    items: dict = field(default_factory=dict)
    draft: object = None


@pytest.fixture
def portal(db, create_department, create_item, create_round, publish):
    """Two departments, kept / abolished / pending items, and one never-published draft."""
    rnd = create_round("2004 行政许可事项清理", year=2004, state=RoundState.published)
    food = create_department("D01", "区市场监督管理局")
    build = create_department("D02", "区住房和城乡建设局")
    p = Portal(rnd=rnd, depts={"food": food, "build": build})

    def add(key, code, name, decision, dept=food, reason="依据充分", **fields):
        item = create_item(code, name=name, department=dept, **fields)
        publish(item, decision, reason=reason, rnd=rnd)
        p.items[key] = item
        return item

    add("food", "XK0001", "食品经营许可", Decision.keep, conditions="有与经营食品相适应的场所", materials="申请书",
        procedure="受理、审查、决定", fee_charged=False)
    add("food_small", "XK0002", "小型食品经营许可（含小餐饮）", Decision.keep, category=ItemCategory.public_resources,
        approval_level=ApprovalLevel.township, fee_charged=True, fee_rate="每证10元")
    add("construction", "XK0003", "建筑工程施工许可", Decision.keep, dept=build, fee_charged=True,
        category=ItemCategory.inspection, approval_level=ApprovalLevel.city)
    add("outdoor", "XK0004", "户外广告设置审批", Decision.abolish, dept=build, reason="区规范性文件设定，不得设定行政许可",
        bases=[law_basis(instrument_type=InstrumentType.normative_document, issuer_level=IssuerLevel.district,
                         title="《示范区户外广告管理办法》", document_number="示政发〔2001〕3号", article="第五条")])
    add("market", "XK0005", "集贸市场登记", Decision.pending, reason="部门规章设定，待与上级对接",
        bases=[law_basis(instrument_type=InstrumentType.ministry_rule, issuer_level=IssuerLevel.national,
                         title="《集贸市场管理办法》", document_number="工商总局令第1号", article="第八条")])
    add("food_exact", "XK0006", "食品", Decision.keep)
    p.draft = create_item("ZZ9999", name=DRAFT_NAME, department=food, conditions="草稿条件SECRETCOND")
    db.session.commit()  # releases the test's savepoint: the client's requests see the data
    return p
