"""A strict Content-Security-Policy on every response, and nothing loaded from elsewhere."""
import re
from pathlib import Path

import pytest

from registry import PACKAGE_ROOT

PATHS = ["/", "/items", "/items?q=食品", "/abolished", "/pending", "/statistics", "/open-data", "/items/XK0001",
         "/items/XK0004", "/feed.atom", "/items.csv", "/api/v1/items", "/api/v1/openapi.json", "/no/such/page",
         "/lang/en?next=/items", "/static/css/app.css", "/api/v1/nope"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_a_strict_csp(client, portal, path):
    resp = client.get(path)
    csp = resp.headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("path", [p for p in PATHS if not p.startswith(("/api", "/static", "/lang", "/items.csv"))])
def test_pages_have_no_inline_code_and_no_foreign_assets(client, portal, path, lang):
    client.set_cookie("lang", lang)
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and not re.search(r"\sstyle=", html), "inline style"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "javascript:" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith("//") and (not url.startswith("http") or url.startswith("http://localhost/")), url


def test_the_stylesheet_loads_nothing_from_elsewhere():
    css = (Path(PACKAGE_ROOT) / "static" / "css" / "app.css").read_text()
    assert "@import" not in css and "@font-face" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_focus_is_visible_and_controls_are_labelled(client, portal):
    css = (Path(PACKAGE_ROOT) / "static" / "css" / "app.css").read_text()
    assert ":focus-visible" in css and "outline" in css
    html = client.get("/items").get_data(as_text=True)
    for control_id in re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', html):
        assert f'<label for="{control_id}">' in html, control_id
    assert '<main id="main"' in html and 'class="skip-link"' in html and "<th scope=\"col\">" in html
