"""Every user-facing string is translated, and the compiled catalogues are current."""
import importlib.util
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
i18n_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n_tool)

pytestmark = pytest.mark.no_db


@pytest.mark.parametrize("locale", i18n_tool.LOCALES)
def test_every_ui_string_is_translated(locale):
    gaps = i18n_tool.missing()[locale]
    assert gaps == [], f"untranslated in {locale} (run scripts/i18n.py update/fill-hant): {gaps[:10]}"


def test_compiled_catalogues_match_their_sources():
    for d in i18n_tool.catalog_dirs():
        for po in d.glob("*/LC_MESSAGES/messages.po"):
            mo = po.with_suffix(".mo")
            assert mo.exists(), f"{mo} missing: run scripts/i18n.py compile"
            with po.open("rb") as f:
                src = {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}
            with mo.open("rb") as f:
                built = {m.id: m.string for m in read_mo(f) if m.id}
            assert src == built, f"{mo} is stale: run scripts/i18n.py compile"


@pytest.mark.parametrize("lang,expected", [
    ("zh-hans", "行政许可事项清理登记系统"), ("zh-hant", "行政許可事項清理登記系統"), ("en", "Licensing Item Registry"),
])
def test_pages_speak_the_chosen_language(client, lang, expected):
    client.set_cookie("lang", lang)
    assert expected in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("header,expected", [
    ("zh-CN,zh;q=0.9", "行政许可事项清理登记系统"), ("zh-TW", "行政許可事項清理登記系統"),
    ("en-US,en;q=0.8", "Licensing Item Registry"), ("", "行政许可事项清理登记系统"),
])
def test_accept_language_is_the_fallback(client, header, expected):
    resp = client.get("/", headers={"Accept-Language": header} if header else {})
    assert expected in resp.get_data(as_text=True)


def test_language_switch_is_remembered_and_stays_on_site(client):
    resp = client.get("/lang/en?next=/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert "lang=en" in resp.headers["Set-Cookie"]
    assert "Licensing Item Registry" in client.get("/").get_data(as_text=True)
    evil = client.get("/lang/en?next=//evil.example/x")
    assert evil.headers["Location"] == "/"


def test_no_message_is_defined_in_two_catalogues():
    """Flask-Babel lets the last catalogue win, so a msgid defined twice is ambiguous."""
    assert i18n_tool.duplicates() == []
