"""Browser fixtures: the app served by ``registry serve`` on a scratch database, one Chromium per run.

Chromium is Debian's package (``/usr/bin/chromium``), driven by Playwright; no browser is ever
downloaded. Without Chromium or Playwright the browser tests are skipped locally and FAIL in CI
(``CI`` set), so a CI machine that lost its browser cannot pass silently.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.browser import server as live
from tests.scratch_db import scratch_database

DEMO_PASSWORD = "registry-demo-2004"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_DIR = live.REPO_ROOT / "docs" / "screenshots"
#: Playwright waits (not assertions about speed): generous, the machine may be busy
TIMEOUT_MS = 30_000


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    candidate = os.environ.get("REGISTRY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if candidate and os.access(candidate, os.X_OK) else None


@pytest.fixture(scope="session")
def playwright_api():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        _unavailable("Chromium is missing (apt-get install chromium; or set REGISTRY_CHROMIUM)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        yield p, path


@pytest.fixture(scope="session")
def browser(playwright_api):
    p, path = playwright_api
    b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture(scope="session")
def live_server(playwright_api, database_url, tmp_path_factory):
    """The app with the demo data and users, served by gunicorn; stopped (and its database dropped) at the end."""
    workdir = tmp_path_factory.mktemp("live")
    with scratch_database(database_url, workdir) as url:
        try:
            server = live.start(url, workdir)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        try:
            yield server
        finally:
            live.stop(server)


class PageProblems:
    """Script errors and Content-Security-Policy violations seen by the pages of this run."""

    def __init__(self):
        self.seen: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda exc: self.seen.append(f"{page.url}: script error: {exc}"))
        page.on("console", self._console(page))

    def _console(self, page):
        def handler(msg):
            if msg.type == "error" and "Content Security Policy" in msg.text:
                self.seen.append(f"{page.url}: {msg.text}")
        return handler


@pytest.fixture(scope="session")
def page_problems():
    return PageProblems()


@pytest.fixture(autouse=True)
def _no_page_problems(request, page_problems):
    """A browser test fails if a page it used raised a script error or broke the CSP."""
    page_problems.seen.clear()
    yield
    if page_problems.seen:
        pytest.fail("pages reported problems:\n" + "\n".join(page_problems.seen), pytrace=False)


@pytest.fixture(scope="session")
def new_context(browser, live_server, page_problems):
    """Make a browser context (a separate cookie jar) on the live server, 1280 px wide."""
    made = []

    def _new(**options):
        ctx = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", accept_downloads=True, **options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.on("page", page_problems.watch)
        made.append(ctx)
        return ctx

    yield _new
    from playwright.sync_api import Error

    for ctx in made:
        with contextlib.suppress(Error):  # already closed by its test
            ctx.close()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would."""
    from playwright.sync_api import expect

    response = page.goto("/auth/login")
    assert response.ok, f"the sign-in page answered {response.status}"
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#password")).to_have_count(0)


@pytest.fixture(scope="session")
def signed_in(new_context):
    """``signed_in("fazhi")``: that demo user's page, signed in once per run and reused."""
    pages: dict[str, object] = {}

    def _page(username: str):
        if username not in pages:
            page = new_context().new_page()
            sign_in(page, username)
            pages[username] = page
        return pages[username]

    return _page


@pytest.fixture
def visitor(new_context):
    """An anonymous visitor's page with fresh cookies."""
    ctx = new_context()
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(page, "home")`` saves docs/screenshots/home.png (full page, 1280 px wide)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture(scope="session")
def review_path(live_server):
    """``review_path("XK00141000")``: the address of that item's review in the demo's open round."""
    import sqlalchemy as sa

    engine = sa.create_engine(live_server.database_url, poolclass=sa.pool.NullPool)

    def _path(code: str) -> str:
        with engine.connect() as conn:
            review_id = conn.execute(sa.text(
                "SELECT r.id FROM reviews r JOIN items i ON i.id = r.item_id"
                " JOIN review_rounds rr ON rr.id = r.round_id WHERE i.code = :code AND rr.name = :name"
            ), {"code": code, "name": "2026 年度行政许可事项评估"}).scalar_one()
        return f"/reviews/{review_id}"

    yield _path
    engine.dispose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the end of the server's log (requests and tracebacks)."""
    outcome = yield
    report = outcome.get_result()
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and server is not None:
        report.sections.append(("registry serve (last lines)", server.log_tail()))
