"""axe-core on every kind of page a team meets, and no sideways scrolling when zoomed."""

from __future__ import annotations

import pytest

from tests.browser.pages import TEAM_PAGES
from tests.browser.support import axe_violations


def test_axe_is_really_looking(kept_page):
    page = kept_page()
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert axe_violations(page).startswith("image-alt")


@pytest.mark.parametrize("name", list(TEAM_PAGES))
def test_axe_finds_no_wcag_22_aa_problem(kept_page, site, name):
    page = kept_page()
    TEAM_PAGES[name](page, site)
    assert axe_violations(page) == ""


@pytest.mark.parametrize(
    ("width", "scale"),
    [
        pytest.param(320, 1, id="320px"),
        pytest.param(640, 2, id="desktop-at-200%"),
    ],
)
def test_no_team_page_scrolls_sideways(open_page, site, width, scale):
    page = open_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    wide = {}
    for name, visit in TEAM_PAGES.items():
        visit(page, site)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide[name] = overflow
    assert wide == {}


def test_no_welsh_team_page_scrolls_sideways_at_320px(open_page, site):
    """Welsh words run longer (the result's status table, the task list): 1.4.10 in Welsh too."""
    page = open_page(viewport={"width": 320, "height": 800})
    page.goto(site.server.url + "/language/cy?next=/", wait_until="domcontentloaded")
    wide = {}
    for name, visit in TEAM_PAGES.items():
        visit(page, site)
        assert page.evaluate("document.documentElement.lang") == "cy", name
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide[name] = overflow
    assert wide == {}
