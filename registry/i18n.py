"""Languages: locale selection, the translation directories of every domain."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import Babel

PACKAGE_ROOT = Path(__file__).resolve().parent

#: locale code → label shown in the switcher (each in its own language)
LANGUAGES = {"zh_Hans_CN": "简体中文", "zh_Hant_TW": "繁體中文", "en": "English"}
#: short codes used in URLs and the ``lang`` cookie
SHORT = {"zh-hans": "zh_Hans_CN", "zh-hant": "zh_Hant_TW", "en": "en"}
LANG_COOKIE = "lang"


def translation_directories() -> list[str]:
    """The core catalogue plus one ``translations/`` folder per domain package."""
    dirs = [PACKAGE_ROOT / "translations"] + sorted(PACKAGE_ROOT.glob("*/translations"))
    return [str(d) for d in dirs if d.is_dir()]


def select_locale() -> str:
    if not has_request_context():
        return "zh_Hans_CN"
    chosen = request.cookies.get(LANG_COOKIE) or session.get(LANG_COOKIE)
    if chosen in SHORT:
        return SHORT[chosen]
    best = request.accept_languages.best_match(
        ["zh-CN", "zh-Hans", "zh-SG", "zh-TW", "zh-Hant", "zh-HK", "zh-MO", "zh", "en"]
    )
    if best in ("zh-TW", "zh-Hant", "zh-HK", "zh-MO"):
        return "zh_Hant_TW"
    if best == "en":
        return "en"
    return "zh_Hans_CN"


def once_per_request(kind: str, value, translate):
    """``translate(value)``, remembered for the rest of the request.

    A list page shows the same few labels (states, decisions) on every row; translating each
    once per request saves a catalogue lookup per row. Outside a request nothing is cached.
    """
    if not has_request_context():
        return translate(value)
    cache = request.environ.setdefault("registry.labels", {})
    key = (kind, value)
    if key not in cache:
        cache[key] = translate(value)
    return cache[key]


def init_app(app: Flask, babel: Babel) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _languages():
        from flask_babel import get_locale

        loc = str(get_locale())
        short = {v: k for k, v in SHORT.items()}
        return {"LANGUAGES": LANGUAGES, "LANG_SHORT": short, "current_lang": short.get(loc, "zh-hans"),
                "html_lang": {"zh_Hans_CN": "zh-Hans", "zh_Hant_TW": "zh-Hant", "en": "en"}.get(loc, "zh-Hans")}
