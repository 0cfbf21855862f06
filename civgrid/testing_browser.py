"""Shared helpers for browser tests: real headless Chromium (Debian's) driven by Playwright.

The fixtures `browser` and `live_world` are available to every test (civgrid/conftest.py imports
them). A browser test module does::

    pytestmark = pytest.mark.browser
    from civgrid.testing_browser import PHONE, Console, log_in, zh

    def test_something(live_server, browser, live_world):
        with browser() as launched:
            console = Console()
            context, page = log_in(launched, console, live_server.url, "worker_a", PHONE)
            ...
            assert console.errors == []

A missing /usr/bin/chromium fails the test (run `make browser`), it never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    sync_playwright,
)

from civgrid.testing import PASSWORD, build_world

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/civgrid-shots")
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium; a missing browser fails the test (inside it, so it reads FAILED)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (run `make browser`).")
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            yield launched
        finally:
            # ORM calls made while Playwright ran opened their own connection (Django keys
            # connections by context, and Playwright switches it); close it in that context, or
            # PostgreSQL cannot drop the test database afterwards.
            connections.close_all()
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Launched inside the test by `chromium()`; this sets what Django needs beside it."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between page steps are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return chromium


@pytest.fixture
def live_world(transactional_db: None) -> Any:
    """The personas, committed: the live server answers from another thread."""
    return build_world()


class Console:
    """Every console error and uncaught exception of every page opened through it."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.set_default_timeout(15_000)
        return page


def zh(label: Any) -> str:
    """A lazy label as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return str(label)


def new_context(browser: Browser, viewport: ViewportSize) -> BrowserContext:
    return browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=viewport == PHONE,
        has_touch=viewport == PHONE,
    )


def log_in(
    browser: Browser,
    console: Console,
    base: str,
    username: str,
    viewport: ViewportSize,
    landing: str = "/",  # the start page (待办) every role opens on
) -> tuple[BrowserContext, Page]:
    context = new_context(browser, viewport)
    page = console.watch(context.new_page())
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base}{landing}")
    return context, page
