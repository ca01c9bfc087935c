"""Higher-level lists: import, matching by code and name, confirming through the workflow."""
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry import seeding
from registry.alignment.matching import Matcher, name_score, normalise
from registry.alignment.models import AlignmentMatch, HigherLevelItem, ListLevel, MatchMethod
from registry.alignment.services import confirm_match, import_list, latest_rows, propose_exact, queue
from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.cli import cli
from registry.errors_domain import NotAllowed, ValidationFailed
from registry.items.models import Decision, Item
from registry.review.models import Review, ReviewState
from registry.review.services import perform

DEMO_LIST = Path(__file__).resolve().parents[2] / "seeds" / "higher_level" / "province_2004.csv"
LIST = "江东省保留行政许可项目目录"


@pytest.mark.no_db
@pytest.mark.parametrize("a,b", [
    ("江东省建设用地审批（农用地转用）", "建设用地审批(农用地转用)"),
    ("代理记账机构设立审批", "代理记账机构审批"),
    ("外国人就业许可证核发", "外国人就业许可"),
    ("清江市 户外广告 登记", "户外广告登记"),
])
def test_normalised_names_drop_places_punctuation_and_generic_suffixes(a, b):
    assert normalise(a) == normalise(b)
    assert name_score(normalise(a), normalise(b)) == 1.0


@pytest.mark.no_db
def test_normalising_keeps_words_that_only_look_like_places():
    assert normalise("城市规划编制单位资质（丙级）审批") == "城市规划编制单位资质丙级"
    assert name_score(normalise("典当行设立初审"), normalise("旅行社设立审批")) < 0.7


@pytest.fixture
def officer(create_user):
    return create_user("al_officer", Role.legal_officer)


@pytest.fixture
def seeded(db):
    seeding.seed()
    db.session.flush()


@pytest.fixture
def demo_list(seeded, officer):
    result = import_list(DEMO_LIST.read_bytes(), DEMO_LIST.name, source_list=LIST, list_version="2004",
                         level=ListLevel.province, actor=officer)
    assert result.errors == [] and result.rows == 60
    return result


def test_the_demo_list_matches_25_pending_items_by_code_and_20_by_name(demo_list):
    entries = queue()
    assert len(entries) == 112
    first = [e.candidates[0] for e in entries if e.candidates]
    assert sum(c.method is MatchMethod.code for c in first) == 25
    assert sum(c.method is MatchMethod.name for c in first) == 20
    by_code = {e.item.code: e for e in entries}
    renamed = by_code["XK00051000"].candidates[0]
    assert renamed.higher.code == "SXK20555" and renamed.local_key == renamed.higher_key == "代理记账机构"


def test_importing_a_list_is_all_or_nothing_and_versions_cannot_be_reused(seeded, officer, db):
    bad = "code,name,decision\nA1,甲,保留\nA2,乙,也许\nA1,丙,取消\n".encode()
    result = import_list(bad, "bad.csv", source_list="测试清单", list_version="1", level=ListLevel.city, actor=officer)
    assert [e.row for e in result.errors] == [3, 4]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HigherLevelItem)) == 0
    good = "编码,名称,处理意见\nA1,甲,保留\n".encode("gb18030")
    assert import_list(good, "g.csv", source_list="测试清单", list_version="1", level=ListLevel.city,
                       actor=officer).rows == 1
    with pytest.raises(ValidationFailed):
        import_list(good, "g.csv", source_list="测试清单", list_version="1", level=ListLevel.city, actor=officer)
    newer = "编码,名称,处理意见\nA1,甲,取消\n".encode()
    import_list(newer, "n.csv", source_list="测试清单", list_version="2", level=ListLevel.city, actor=officer)
    assert [(r.list_version, r.decision) for r in latest_rows()] == [("2", Decision.abolish)]
    with pytest.raises(ValidationFailed):
        import_list(b"foo,bar\n1,2\n", "x.csv", source_list="测试清单", list_version="3", level=ListLevel.city,
                    actor=officer)


def test_staff_may_not_import_lists(seeded, create_user):
    with pytest.raises(NotAllowed):
        import_list(b"code,name,decision\nA,b,keep\n", "x.csv", source_list="x", list_version="1",
                    level=ListLevel.city, actor=create_user("al_staff", Role.department_staff))


def test_confirming_reopens_and_proposes_through_the_workflow_then_an_approver_decides(demo_list, officer,
                                                                                        create_user, db):
    item = db.session.scalar(sa.select(Item).where(Item.code == "XK00051000"))
    candidate = Matcher(latest_rows()).candidates(item.code, item.name)[0]
    match = confirm_match(item, candidate.higher, actor=officer, method=candidate.method, score=candidate.score)
    review = db.session.get(Review, match.review_id)
    assert review.state is ReviewState.proposed and review.proposed_decision is candidate.higher.decision
    assert review.proposer_id == officer.id and "SXK20555" in review.reason
    actions = [e.action for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.actor_id == officer.id).order_by(AuditEvent.seq))]
    assert actions[-3:] == ["review.reopen", "review.propose", "alignment.confirm"]
    assert json.loads(db.session.scalars(sa.select(AuditEvent.changes).where(
        AuditEvent.action == "alignment.confirm")).first())["method"] == [None, "name"]
    assert item.code not in {e.item.code for e in queue()}
    with pytest.raises(ValidationFailed):
        confirm_match(item, candidate.higher, actor=officer, method=candidate.method, score=candidate.score)
    perform(review, "approve", actor=create_user("al_approver", Role.approver))
    assert review.state is ReviewState.decided and review.final_decision is candidate.higher.decision


def test_only_legal_officers_confirm(demo_list, create_user, db):
    item = db.session.scalar(sa.select(Item).where(Item.code == "XK00003000"))
    higher = Matcher(latest_rows()).candidates(item.code, item.name)[0].higher
    with pytest.raises(NotAllowed):
        confirm_match(item, higher, actor=create_user("al_admin", Role.admin), method=MatchMethod.code, score=1)


def test_propose_exact_moves_the_code_matches_into_review(demo_list, officer, db):
    assert propose_exact(actor=officer, source_list=LIST, list_version="2004") == 25
    proposed = db.session.scalar(sa.select(sa.func.count()).select_from(Review).where(
        Review.state == ReviewState.proposed))
    assert proposed == 25
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlignmentMatch)) == 25


def test_the_command_imports_the_demo_list_and_proposes_exact_matches(app, seeded, officer, db):
    result = app.test_cli_runner().invoke(cli, ["alignment", "import", str(DEMO_LIST), "--list", LIST, "--version",
                                                "2004", "--propose-exact", "--as", "al_officer"])
    assert result.exit_code == 0, result.output
    assert "25 by code, 20 by name" in result.output and "for 25 items" in result.output
    states = dict(db.session.execute(sa.select(Review.state, sa.func.count()).group_by(Review.state)).all())
    assert states[ReviewState.proposed] == 25 and states[ReviewState.published] == 195
    again = app.test_cli_runner().invoke(cli, ["alignment", "import", str(DEMO_LIST), "--list", LIST, "--version",
                                               "2004"])
    assert again.exit_code == 1 and "已导入" in again.output


def test_queue_page_shows_candidates_and_why_and_confirm_works(client, login_as, demo_list, officer, db):
    login_as(officer)
    html = client.get("/alignment/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "112 pending items." in html and "Why: the same code." in html and "similarity 1.00" in html
    item = db.session.scalar(sa.select(Item).where(Item.code == "XK00003000"))
    higher = Matcher(latest_rows()).candidates(item.code, item.name)[0].higher
    resp = client.post(f"/alignment/items/{item.id}/confirm", data={"higher_level_item_id": higher.id})
    assert resp.status_code == 302
    assert db.session.scalar(sa.select(Review).where(Review.item_id == item.id)).state is ReviewState.proposed
    other = db.session.scalar(sa.select(Item).where(Item.code == "XK00006000"))
    assert client.post(f"/alignment/items/{other.id}/confirm", data={"higher_level_item_id": higher.id}
                       ).status_code == 404, "only a candidate of that item can be confirmed"


def test_list_upload_page(client, login_as, seeded, officer, db):
    login_as(officer)
    data = {"file": (io.BytesIO(DEMO_LIST.read_bytes()), "province.csv"), "source_list": LIST, "list_version": "v9",
            "level": "province"}
    assert client.post("/alignment/lists", data=data, content_type="multipart/form-data").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HigherLevelItem)) == 60


@pytest.mark.parametrize("roles,status", [((), 302), ((Role.department_staff,), 403), ((Role.legal_officer,), 200),
                                          ((Role.approver,), 200), ((Role.admin,), 200)])
def test_who_sees_the_queue(client, login_as, create_user, roles, status):
    if roles:
        login_as(create_user(None, *roles))
    assert client.get("/alignment/").status_code == status
