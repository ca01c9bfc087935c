"""Screenshots for the README (docs/screenshots/*.png), 1280 px wide, full page, default language."""
from __future__ import annotations

import struct

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.no_db


def _saved(path, page_width: int = 1280) -> None:
    """The file is a PNG of the page's full width and at least one screen high."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    assert width == page_width and height >= 600, f"{path} is {width}×{height}"


def test_public_pages(visitor, screenshot):
    visitor.goto("/")
    expect(visitor.locator("#count-total")).to_be_visible()
    _saved(screenshot(visitor, "home"))

    visitor.fill("#home-q", "卫生")
    visitor.locator("#home-q").press("Enter")
    expect(visitor.locator("main table tbody tr").first).to_be_visible()
    _saved(screenshot(visitor, "search"))

    visitor.locator("main table tbody a").first.click()
    expect(visitor.locator("#item-title")).to_be_visible()
    _saved(screenshot(visitor, "item"))

    visitor.goto("/statistics")
    expect(visitor.locator("main h1")).to_be_visible()
    _saved(screenshot(visitor, "statistics"))


def test_officers_review_page(signed_in, review_path, screenshot):
    officer = signed_in("fazhi")
    officer.goto(review_path("XK00141000"))
    expect(officer.locator("form.action-propose")).to_be_visible()
    _saved(screenshot(officer, "review"))
