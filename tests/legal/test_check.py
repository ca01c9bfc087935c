"""The legal-basis check, rule by rule (table-driven), and against the demo's published decisions."""
from datetime import date

import pytest
import sqlalchemy as sa

from registry import seeding
from registry.items.models import (
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    Decision,
    Item,
    ItemCategory,
    LegalBasis,
)
from registry.items.models import (
    InstrumentType as T,
)
from registry.items.models import (
    IssuerLevel as L,
)
from registry.legal.basis_table import suggest
from registry.legal.check import check, findings
from registry.legal.rules import RULES, Severity
from registry.review.models import Review, ReviewRound

AS_OF = date(2004, 6, 30)


def make_item(kind=T.law, level=L.national, effective=date(1995, 10, 30), implementing=(), **fields) -> Item:
    values = {"code": "T1", "name": "测试许可", "category": ItemCategory.safety_health, "approval_level": ApprovalLevel.district,
                  "applicant_type": ApplicantType.both, "statutory_days": 20, "committed_days": 15, "fee_charged": False,
                  "fee_basis": "", "conditions": "有固定场所", "notes": ""}
    values.update(fields)
    item = Item(**values)
    if kind is not None:
        item.bases.append(LegalBasis(kind=BasisKind.setting, instrument_type=kind, title="《设定依据》",
                                     issuer_level=None if kind is T.none else level, effective_date=effective))
    for ikind, ilevel in implementing:
        item.bases.append(LegalBasis(kind=BasisKind.implementing, instrument_type=ikind, issuer_level=ilevel,
                                     title="《实施文件》"))
    return item


#: rule id → (item, as_of) on which the rule must fire
CASES = {
    "art17_no_basis": (make_item(kind=None), AS_OF),
    "art17_own_normative_document": (make_item(T.normative_document, L.district), AS_OF),
    "art17_ministry_rule": (make_item(T.ministry_rule), AS_OF),
    "art17_city_rule": (make_item(T.city_rule, L.city), AS_OF),
    "art17_higher_normative_document": (make_item(T.normative_document, L.provincial), AS_OF),
    "art83_lapsed": (make_item(T.ministry_rule, effective=date(1999, 1, 1)), date(2004, 7, 1)),
    "art15_provincial_rule_temporary": (make_item(T.provincial_rule, L.provincial, effective=date(2004, 1, 1)), AS_OF),
    "art15_provincial_rule_expired": (make_item(T.provincial_rule, L.provincial, effective=date(2002, 1, 1)), AS_OF),
    "art14_state_council_decision": (make_item(T.state_council_decision), AS_OF),
    "art15_local_regulation": (make_item(T.local_regulation, L.provincial), AS_OF),
    "art15_2_nationwide_qualification": (make_item(T.local_regulation, L.provincial,
                                                   category=ItemCategory.qualification), AS_OF),
    "art15_2_registration": (make_item(T.provincial_rule, L.provincial, effective=date(2004, 1, 1),
                                       category=ItemCategory.establishment), AS_OF),
    "art15_2_out_of_area": (make_item(conditions="申请人须为本地户籍居民"), AS_OF),
    "implemented_for_higher_level": (make_item(approval_level=ApprovalLevel.province), AS_OF),
    "art12_other_matter_needs_statute": (make_item(T.local_regulation, L.provincial,
                                                   category=ItemCategory.statutory_other), AS_OF),
    "art13_may_need_no_licence": (make_item(name="户外广告设置备案"), AS_OF),
    "art16_lower_implementing_basis": (make_item(implementing=[(T.normative_document, L.district)]), AS_OF),
    "art42_time_limit": (make_item(T.local_regulation, L.provincial, statutory_days=30, committed_days=None), AS_OF),
    "art58_fee_without_basis": (make_item(fee_charged=True, fee_basis=""), AS_OF),
    "art58_fee_basis_not_statute": (make_item(fee_charged=True, fee_basis="某市收费管理办法"), AS_OF),
}


def test_every_rule_has_a_case_and_a_three_language_message():
    assert set(CASES) == {r.id for r in RULES}
    for r in RULES:
        assert r.article.startswith("Art") and isinstance(r.severity, Severity)


@pytest.mark.no_db
@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_rule_fires_on_its_case(rule_id):
    item, as_of = CASES[rule_id]
    found = {f.id: f for f in findings(item, as_of)}
    assert rule_id in found
    f = found[rule_id]
    assert f.message and "%(" not in f.message and f.article in str(f)


@pytest.mark.no_db
def test_a_clean_law_based_item_has_no_findings_and_is_kept():
    result = check(make_item(), AS_OF)
    assert result.findings == [] and result.suggestion.decision is Decision.keep
    assert result.suggestion.article == "Art. 14"


@pytest.mark.no_db
@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_findings_point_the_same_way_as_the_suggestion(rule_id):
    """A finding that points to a decision never contradicts the basis table's suggestion."""
    item, as_of = CASES[rule_id]
    result = check(item, as_of)
    assert result.suggestion == suggest(item, as_of)
    pointing = {f.rule.points_to for f in result.findings if f.rule.points_to}
    if Decision.abolish in pointing:
        assert result.suggestion.decision is Decision.abolish
    elif Decision.pending in pointing:
        assert result.suggestion.decision is Decision.pending


@pytest.mark.no_db
def test_findings_are_worst_first_and_speak_the_ui_language(app):
    item, as_of = CASES["art58_fee_without_basis"]
    item.approval_level = ApprovalLevel.city
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        found = findings(item, as_of)
        assert [f.severity for f in found] == sorted((f.severity for f in found), key=lambda s: list(Severity).index(s))
        assert "收费" in found[0].message
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "fee" in findings(item, as_of)[0].message


def test_the_demo_items_get_suggestions_that_agree_with_their_published_decisions(db):
    seeding.seed()
    db.session.flush()
    rnd = db.session.scalar(sa.select(ReviewRound).where(ReviewRound.name == "2004 行政许可事项清理"))
    reviews = db.session.scalars(sa.select(Review).where(Review.round_id == rnd.id)).all()
    assert len(reviews) == 220
    disagree = [(r.item.code, r.final_decision, check(r.item, AS_OF).suggestion.decision) for r in reviews
                if check(r.item, AS_OF).suggestion.decision is not r.item.decision]
    assert disagree == []


@pytest.mark.no_db
def test_the_findings_partial_renders_findings_and_the_suggestion(app):
    from flask import render_template_string

    item, as_of = CASES["art17_own_normative_document"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        result = check(item, as_of)
        html = render_template_string('{% include "legal/_findings.html" %}', findings=result.findings,
                                      suggestion=result.suggestion)
        assert "Suggested decision" in html and "abolish" in html and "Art. 17" in html
        assert 'data-rule="art17_own_normative_document"' in html
        empty = render_template_string('{% include "legal/_findings.html" %}', findings=[], suggestion=None)
        assert "No findings" in empty
