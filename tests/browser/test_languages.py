"""The language switcher shows the public pages in Simplified Chinese, Traditional Chinese and English."""
from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.no_db

#: (switcher link's lang, html lang, Babel locale)
LANGUAGES = [("zh-Hant", "zh-Hant", "zh_Hant_TW"), ("en", "en", "en"), ("zh-Hans", "zh-Hans", "zh_Hans_CN")]
#: public pages and a heading each must show, as English msgids translated by the app's own catalogues
PAGES = [
    ("/", "header .brand", "Licensing Item Registry"),
    ("/items", "main h1", "Retained items"),
    ("/items/XK00001000", "#decision-title", "Decision"),
    ("/statistics", "main h1", "Statistics"),
]


def _translated(app, locale: str, msgid: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(msgid)


def test_the_three_catalogues_differ_on_the_checked_headings(app):
    for _path, _selector, msgid in PAGES:
        texts = {_translated(app, locale, msgid) for _l, _h, locale in LANGUAGES}
        assert len(texts) == 3, f"{msgid!r} is not translated into all three languages: {texts}"


def test_the_switcher_shows_the_public_pages_in_each_language(visitor, app):
    visitor.goto("/")
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-Hans")  # the default
    for link_lang, html_lang, locale in LANGUAGES:
        visitor.locator(f"nav.lang a[lang={link_lang}]").click()
        for path, selector, msgid in PAGES:
            visitor.goto(path)
            expect(visitor.locator("html")).to_have_attribute("lang", html_lang)
            expect(visitor.locator(selector)).to_contain_text(_translated(app, locale, msgid))
            expect(visitor.locator("nav.lang .current")).to_have_attribute("aria-current", "true")
        visitor.goto("/")
