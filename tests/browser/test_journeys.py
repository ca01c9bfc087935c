"""The three journeys in a real browser: department → legal office → approver and admin → the public.

The steps run in order on one new item (so nothing about it was ever published before) and
share what they learn through ``journey``. Pages are found by clicking, as people do; element
ids and CSS classes are used instead of texts wherever the text depends on the language.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import documents

pytestmark = pytest.mark.no_db

ITEM_CODE = "XK00990000"
ITEM_NAME = "温泉浴场卫生许可"
#: two characters of the name that appear in no other item, department or legal basis of the demo data
SEARCH = "温泉"
DEMO_ROUND = "2026 年度行政许可事项评估"
DEPARTMENT = "示范区卫生局"
QUESTION = "请补充《公共场所卫生管理条例》的具体条款，并说明温泉浴场是否属于其调整范围。"
ANSWER = "温泉浴场属于该条例第二条所列公共浴室，设定依据为第八条，已补充。"


@pytest.fixture(scope="module")
def journey():
    """What the steps learn (the review's address), in the order they run."""
    return {}


def state_of(page):
    return page.locator(".case-meta .state")


def _need(journey, key):
    if key not in journey:
        pytest.fail(f"an earlier step of the journey failed (no {key})", pytrace=False)
    return journey[key]


def _csv_text(download) -> str:
    with open(download.path(), "rb") as fh:
        return fh.read().decode("utf-8-sig")


def test_the_item_is_not_public_before_the_journey(visitor):
    visitor.goto("/")
    visitor.fill("#home-q", SEARCH)
    visitor.locator("#home-q").press("Enter")
    expect(visitor.locator("main")).not_to_contain_text(ITEM_NAME)
    assert visitor.goto(f"/items/{ITEM_CODE}").status == 404


def test_department_creates_an_item_and_the_admin_adds_it_to_the_open_round(signed_in, journey):
    staff = signed_in("weisheng")
    staff.goto("/workspace/items/")
    staff.locator("main a[href$='/items/new']").first.click()
    staff.fill("#code", ITEM_CODE)
    staff.fill("#name", ITEM_NAME)
    staff.select_option("#category", "safety_health")
    staff.select_option("#approval_level", "district")
    staff.select_option("#applicant_type", "both")
    staff.fill("#conditions", "有符合卫生标准的浴池、更衣室和消毒设施；从业人员持有效健康证明。")
    staff.fill("#materials", "申请书、营业执照、场所平面图、水质检测报告、从业人员健康证明")
    staff.locator("main form.stacked button[type=submit]").click()
    expect(staff.locator(".flash-success")).to_contain_text(ITEM_CODE)
    expect(staff.locator("h1")).to_contain_text(ITEM_NAME)

    admin = signed_in("admin")
    admin.goto("/admin/rounds")
    admin.get_by_role("link", name=DEMO_ROUND).click()
    admin.check("input[name=scope][value=departments]")
    admin.select_option("#departments", label=DEPARTMENT)
    admin.locator("form[action$='/items'] button[type=submit]").click()
    expect(admin.locator(".flash-success")).to_contain_text("1")

    staff.reload()
    staff.get_by_role("link", name=DEMO_ROUND).click()
    expect(staff).to_have_url(re.compile(r"/reviews/\d+$"))
    expect(state_of(staff)).to_have_class(re.compile(r"\bstate-draft\b"))
    journey["review"] = staff.url


def test_department_justifies_with_a_legal_basis_and_a_pdf_and_submits(signed_in, journey):
    staff = signed_in("weisheng")
    staff.goto(_need(journey, "review"))
    staff.locator("main a[href$='/justification']").click()
    staff.fill("#reasons", "温泉浴场属公共场所，设定依据为行政法规《公共场所卫生管理条例》，本局建议保留。")
    staff.select_option("#bases-0-kind", "setting")
    staff.select_option("#bases-0-instrument_type", "administrative_regulation")
    staff.select_option("#bases-0-issuer_level", "national")
    staff.fill("#bases-0-title", "公共场所卫生管理条例")
    staff.fill("#bases-0-issuer", "国务院")
    staff.fill("#bases-0-document_number", "国发〔1987〕24号")
    staff.fill("#bases-0-article", "第八条")
    staff.locator("#save").click()
    expect(staff.locator(".flash-success")).to_be_visible()

    staff.locator("main a[href$='/justification']").click()
    expect(staff.locator("#bases-0-title")).to_have_value("公共场所卫生管理条例")
    staff.set_input_files("#file", files=[{"name": "卫生学评价报告.pdf", "mimeType": "application/pdf",
                                           "buffer": documents.pdf("Water quality report 2026")}])
    staff.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(staff.locator(".flash-success")).to_contain_text("卫生学评价报告.pdf")
    expect(staff.locator("ul.attachments")).to_contain_text("卫生学评价报告.pdf")

    staff.locator("#save_and_submit").click()
    expect(staff).to_have_url(journey["review"])
    expect(state_of(staff)).to_have_class(re.compile(r"\bstate-submitted\b"))
    expect(staff.locator(".justification").first).to_contain_text("本局建议保留")
    expect(staff.locator(".justification ul.attachments")).to_contain_text("卫生学评价报告.pdf")
    expect(staff.locator("main")).to_contain_text("公共场所卫生管理条例")


def _claim_from_the_queue(officer):
    officer.goto("/inbox/")
    officer.locator("main nav a[href$='/reviews/queue']").click()
    officer.select_option("#f-department", label=DEPARTMENT)
    officer.select_option("#f-sort", "newest")
    officer.locator("form.filters button[type=submit]").click()
    row = officer.locator("tbody tr", has_text=ITEM_CODE)
    expect(row).to_have_count(1)
    row.locator("button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_be_visible()


def test_officer_claims_it_from_the_queue_and_returns_it_with_a_question(signed_in, journey):
    officer = signed_in("fazhi")
    _claim_from_the_queue(officer)
    officer.goto(_need(journey, "review"))
    expect(state_of(officer)).to_have_class(re.compile(r"\bstate-under_review\b"))
    officer.fill("#reason-return", QUESTION)
    officer.locator("form.action-return button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_be_visible()
    expect(state_of(officer)).to_have_class(re.compile(r"\bstate-draft\b"))
    expect(officer.locator(".comments")).to_contain_text(QUESTION)


def test_department_answers_and_resubmits(signed_in, journey):
    staff = signed_in("weisheng")
    staff.goto("/inbox/")
    staff.locator("main a", has_text=ITEM_CODE).first.click()
    expect(staff).to_have_url(_need(journey, "review"))
    expect(staff.locator(".comments")).to_contain_text(QUESTION)
    staff.fill("#comment-body", ANSWER)
    staff.locator("form[action$='/comments'] button[type=submit]").click()
    expect(staff.locator(".comments")).to_contain_text(ANSWER)

    staff.locator("main a[href$='/justification']").click()
    expect(staff.locator(".returned")).to_contain_text(QUESTION)
    staff.fill("#reasons", "温泉浴场属《公共场所卫生管理条例》第二条所列公共浴室，设定依据为第八条（行政法规），本局建议保留。")
    staff.locator("#save_and_submit").click()
    expect(state_of(staff)).to_have_class(re.compile(r"\bstate-submitted\b"))


def test_officer_claims_it_again_and_proposes_keep(signed_in, journey):
    officer = signed_in("fazhi")
    _claim_from_the_queue(officer)
    officer.goto(_need(journey, "review"))
    expect(officer.locator(".comments")).to_contain_text(ANSWER)
    expect(officer.locator(".legal-check")).to_contain_text("公共场所卫生管理条例")
    officer.select_option("#decision-propose", "keep")
    officer.fill("#reason-propose", "设定依据为行政法规，符合《行政许可法》第十四条，建议保留。")
    officer.locator("form.action-propose button[type=submit]").click()
    expect(state_of(officer)).to_have_class(re.compile(r"\bstate-proposed\b"))
    expect(officer.locator("form.action-approve")).to_have_count(0)


def test_approver_approves_it_from_the_approval_queue(signed_in, journey):
    approver = signed_in("lingdao")
    approver.goto("/inbox/")
    approver.locator("main nav a[href$='/reviews/approvals']").click()
    approver.locator("tbody tr", has_text=ITEM_CODE).get_by_role("link").click()
    expect(approver).to_have_url(_need(journey, "review"))
    approver.locator("form.action-approve button[type=submit]").click()
    expect(approver.locator(".flash-success")).to_be_visible()
    expect(state_of(approver)).to_have_class(re.compile(r"\bstate-decided\b"))


def test_an_approver_cannot_approve_a_proposal_of_their_own(signed_in):
    """zhuren is legal officer and approver: they propose, and then the approval is refused."""
    head = signed_in("zhuren")
    head.goto("/reviews/queue")
    row = head.locator("tbody tr", has_text="XK00140000")
    row.locator("button[type=submit]").click()  # claim the demo's submitted 食品卫生许可
    expect(head.locator(".flash-success")).to_be_visible()
    head.goto("/reviews/queue?state=under_review&mine=1")
    head.locator("tbody tr", has_text="XK00140000").get_by_role("link").click()
    head.select_option("#decision-propose", "keep")
    head.fill("#reason-propose", "设定依据为法律，符合《行政许可法》第十四条，建议保留。")
    head.locator("form.action-propose button[type=submit]").click()
    expect(state_of(head)).to_have_class(re.compile(r"\bstate-proposed\b"))
    review_url = head.url

    expect(head.locator("form.action-approve")).to_have_count(0)
    expect(head.locator("form.action-send_back")).to_have_count(0)
    token = head.locator("input[name=csrf_token]").first.get_attribute("value")
    forced = head.request.post(review_url + "/act", form={"csrf_token": token, "action": "approve"})
    assert forced.status == 403, f"a forced approval of one's own proposal answered {forced.status}"
    head.reload()
    expect(state_of(head)).to_have_class(re.compile(r"\bstate-proposed\b"))

    head.goto("/reviews/approvals")
    own_row = head.locator("tbody tr", has_text="XK00140000")
    expect(own_row.locator("input[type=checkbox]")).to_have_count(0)
    review_id = review_url.rsplit("/", 1)[1]
    bulk = head.request.post("/reviews/approvals/approve", form={"csrf_token": token, "review_id": review_id})
    assert bulk.ok
    head.reload()
    expect(head.locator("tbody tr", has_text="XK00140000")).to_have_count(1)  # still waiting for another approver


def test_admin_publishes_the_decision(signed_in, journey):
    admin = signed_in("admin")
    admin.goto(_need(journey, "review"))
    expect(state_of(admin)).to_have_class(re.compile(r"\bstate-decided\b"))
    admin.locator("form.action-publish button[type=submit]").click()
    expect(admin.locator(".flash-success")).to_be_visible()
    expect(state_of(admin)).to_have_class(re.compile(r"\bstate-published\b"))
    journey["published"] = True


def test_a_visitor_finds_the_item_with_two_characters_and_downloads_it(visitor, journey):
    _need(journey, "published")
    visitor.goto("/")
    visitor.fill("#home-q", SEARCH)
    visitor.locator("#home-q").press("Enter")
    expect(visitor).to_have_url(re.compile(r"/items\?"))
    result = visitor.locator("main table a", has_text=ITEM_NAME)
    expect(result).to_have_count(1)

    result.click()
    expect(visitor.locator("h1")).to_have_text(ITEM_NAME)
    expect(visitor.locator("main")).to_contain_text(ITEM_CODE)
    expect(visitor.locator("main")).to_contain_text("公共场所卫生管理条例")
    expect(visitor.locator("main")).to_contain_text(DEPARTMENT)
    expect(visitor.locator("main")).not_to_contain_text("卫生学评价报告")  # the department's documents stay internal

    visitor.go_back()
    with visitor.expect_download() as info:
        visitor.locator("main a[href*='items.csv']").click()
    text = _csv_text(info.value)
    lines = [line for line in text.splitlines() if ITEM_CODE in line]
    assert len(lines) == 1 and ITEM_NAME in lines[0], f"{ITEM_CODE} not in the CSV download:\n{text[:2000]}"
