"""axe-core on the public pages and the main signed-in pages: no serious or critical violation."""
from __future__ import annotations

import pytest

from tests.browser import axe

pytestmark = pytest.mark.no_db

PUBLIC_PAGES = [
    ("home", "/"),
    ("retained items with a search", "/items?q=卫生"),
    ("item page", "/items/XK00001000"),
    ("abolished items", "/abolished"),
    ("pending items", "/pending"),
    ("statistics", "/statistics"),
    ("sign-in page", "/auth/login"),
]
#: (what, user, an address, ("round", its name) or (a demo review's item code, the review's sub-page))
SIGNED_IN_PAGES = [
    ("inbox", "weisheng", "/inbox/"),
    ("department's items", "weisheng", "/workspace/items/"),
    ("new item form", "weisheng", "/workspace/items/new"),
    ("justification form", "weisheng", ("XK00147000", "/justification")),
    ("review page for the department", "weisheng", ("XK00146000", "")),
    ("officer's queue", "fazhi", "/reviews/queue"),
    ("officer's review page", "fazhi", ("XK00141000", "")),
    ("approver's queue", "lingdao", "/reviews/approvals"),
    ("approver's review page", "lingdao", ("XK00142000", "")),
    ("admin's rounds", "admin", "/admin/rounds"),
    ("admin's round page", "admin", ("round", "2026 年度行政许可事项评估")),
    ("audit trail", "admin", "/admin/audit/"),
]


#: every id an attribute points to must exist (axe leaves a dangling aria-describedby "incomplete")
BROKEN_IDREFS_JS = """() => {
  const broken = [];
  for (const attr of ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(`${el.outerHTML.slice(0, 160)}: ${attr}="${id}" names no element`);
      }
    }
  }
  return broken;
}"""


def _check(page, where: str) -> None:
    found = axe.blocking(axe.run(page))
    assert not found, axe.report(found, where)
    broken = page.evaluate(BROKEN_IDREFS_JS)
    assert not broken, f"dangling id references on {where}:\n" + "\n".join(broken)


@pytest.mark.parametrize(("what", "path"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_public_page(visitor, what, path):
    response = visitor.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    _check(visitor, f"{what} ({path})")


@pytest.mark.parametrize(("what", "user", "target"), SIGNED_IN_PAGES, ids=[p[0] for p in SIGNED_IN_PAGES])
def test_signed_in_page(signed_in, review_path, what, user, target):
    page = signed_in(user)
    if isinstance(target, str):
        path = target
    elif target[0] == "round":  # found by its name on the rounds page
        page.goto("/admin/rounds")
        path = page.get_by_role("link", name=target[1]).get_attribute("href")
    else:
        path = review_path(target[0]) + target[1]
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status} for {user}"
    _check(page, f"{what} ({path}, signed in as {user})")


def test_the_checks_report_what_they_find(visitor):
    """The checks themselves work: an image without text, an unlabelled field, a dangling reference."""
    visitor.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input type="text">'
                        '<input aria-describedby="None" aria-label="q"></main></html>')
    found = {v["id"] for v in axe.blocking(axe.run(visitor))}
    assert {"image-alt", "label"} <= found, found
    assert len(visitor.evaluate(BROKEN_IDREFS_JS)) == 1
