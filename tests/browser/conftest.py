"""Browser fixtures: Debian's chromium through pytest-playwright, and the app on a live port.

With no browser here the tests are skipped with the reason, unless REQUIRE_BROWSER=1 (as in
`.ci/run`), where they fail instead.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import Site
from tests.browser.support import (
    CONSOLE_EMAIL,
    CONSOLE_PASSWORD,
    DESKTOP,
    LiveServer,
    browser_problem,
    browser_required,
    device,
    launch_args,
)

TIMEOUT_MS = 10_000  # a local page slower than this is a failure, not a wait


@pytest.fixture(scope="session", autouse=True)
def _need_a_browser():
    problem = browser_problem()
    if problem and browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but {problem}", pytrace=False)
    if problem:
        pytest.skip(problem)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live") / "audit.db").start()
    yield server
    server.stop()


def context_settings(playwright, device_name: str | None, options: dict) -> dict:
    """A context's keywords: the named Playwright device, or a 1280 px desktop, then `options`."""
    return {**(device(playwright, device_name) if device_name else DESKTOP), **options}


@pytest.fixture
def open_page(playwright, new_context):
    """Open a page in a fresh context: a named Playwright device, or a 1280 px desktop."""

    def open_(device_name: str | None = None, **options):
        context = new_context(**context_settings(playwright, device_name, options))
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    return open_


@pytest.fixture(scope="session")
def _kept_pages(browser):
    """The pages `kept_page` hands out, by their context options."""
    pages = {}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture
def kept_page(playwright, browser, browser_context_args, _kept_pages):
    """Like `open_page`, but the page is kept for later tests with the same options.

    A new context costs chromium a new renderer process, about 0.1 s of CPU; a test that only
    navigates and reads can start from a kept one. Each test gets the page blank and without
    cookies (the session and the language choice live in them), so none sees another's visit.
    A test that changes the page itself (its clock, routes or media) opens its own instead.
    """

    def open_(device_name: str | None = None, **options):
        settings = context_settings(playwright, device_name, options)
        key = repr(sorted(settings.items()))
        if key not in _kept_pages:
            context = browser.new_context(**{**browser_context_args, **settings})
            context.set_default_timeout(TIMEOUT_MS)
            _kept_pages[key] = context.new_page()
        page = _kept_pages[key]
        page.context.clear_cookies()
        page.goto("about:blank")
        return page

    return open_


@pytest.fixture(scope="session")
def console(live_server):
    """The console's address on the live server, with one admin (CONSOLE_EMAIL, CONSOLE_PASSWORD)
    created as an operator would, through `flask admin create`."""
    result = live_server.app.test_cli_runner().invoke(
        args=["admin", "create", CONSOLE_EMAIL], input=CONSOLE_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return live_server.url + "/admin/"


@pytest.fixture(scope="session")
def site(live_server):
    return Site.seed(live_server)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Add what the live server wrote (tracebacks of errors it served) to a failure's report."""
    report = yield
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and server is not None:
        report.sections.append(("live server log", server.log() or "(empty)"))
    return report
