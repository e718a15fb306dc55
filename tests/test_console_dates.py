"""Console dates as the GOV.UK date input: three boxes, one error, the boxes at fault marked."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import store
from bot.db import get_db
from tests.admin_support import create_team, date_parts, opens, shown_link, token_of

UK = ZoneInfo("Europe/London")
NEXT_YEAR = str(date.today().year + 1)
TEAM = {"name": "Riverside Parent-Infant Team", "nation": "wales"}


def typed(day: str, month: str, year: str, name: str = "link_expires") -> dict:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def box(html: str, name: str, part: str) -> str:
    match = re.search(rf'<input [^>]*id="{name}-{part}"[^>]*>', html)
    assert match, f"no {part} box for {name}"
    return match.group(0)


def highlighted(html: str, name: str = "link_expires") -> set[str]:
    return {part for part in ("day", "month", "year") if "input-error" in box(html, name, part)}


def teams(app) -> list:
    with app.app_context():
        return store.team_overview(get_db())


def test_the_new_team_form_asks_for_the_date_in_three_numeric_boxes(console):
    page = console.get("/admin/teams/new").text
    assert 'type="date"' not in page
    fieldset = re.search(r'<fieldset class="fieldset" role="group"[^>]*>.*?</fieldset>', page, re.S)
    assert fieldset, "the date is not a fieldset"
    group = fieldset.group(0)
    assert 'aria-describedby="link_expires-hint"' in group
    assert '<legend class="fieldset-legend label">Link expiry date (optional)</legend>' in group
    assert f"For example, 27 3 {NEXT_YEAR}" in group
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert (
            f'<label class="label date-input-label" for="link_expires-{part}">{label}</label>'
            in (group)
        )
        element = box(group, "link_expires", part)
        assert f'name="link_expires-{part}"' in element
        assert 'type="text"' in element and 'inputmode="numeric"' in element


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (("27", "", NEXT_YEAR), "Link expiry date must include a month", {"month"}),
        (("", "3", ""), "Link expiry date must include a day and year", {"day", "year"}),
        (("", "", NEXT_YEAR), "Link expiry date must include a day and month", {"day", "month"}),
        (("31", "2", NEXT_YEAR), "Link expiry date must be a real date", {"day", "month", "year"}),
        (("27", "13", NEXT_YEAR), "Link expiry date must be a real date", {"month"}),
        (("32", "3", NEXT_YEAR), "Link expiry date must be a real date", {"day"}),
        (("x", "y", NEXT_YEAR), "Link expiry date must be a real date", {"day", "month", "year"}),
        (("27", "3", "27"), "Year must include 4 numbers", {"year"}),
        (
            ("1", "1", "2001"),
            "Link expiry date must be today or in the future",
            {"day", "month", "year"},
        ),
        (
            ("31", "12", "9999"),
            "Link expiry date must be within 10 years",
            {"day", "month", "year"},
        ),
        (("99999999999999999999", "1", NEXT_YEAR), "Link expiry date must be a real date", {"day"}),
        (("0", "0", "0000"), "Link expiry date must be a real date", {"day", "month", "year"}),
    ],
)
def test_a_wrong_date_is_one_clear_error_with_the_typed_parts_kept(
    app, console, parts, message, marked
):
    response = console.post("/admin/teams/new", data={**TEAM, **typed(*parts)})
    assert response.status_code == 422
    page = response.text
    assert page.count(message) == 2  # the error summary and the message above the boxes
    assert '<p class="error-message" id="link_expires-error">' in page
    assert highlighted(page) == marked
    first = next(part for part in ("day", "month", "year") if part in marked)
    assert f'<a href="#link_expires-{first}">{message}</a>' in page
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        assert f'value="{value}"' in box(page, "link_expires", part)
    assert 'value="Riverside Parent-Infant Team"' in page
    assert teams(app) == []


def test_a_good_date_is_stored_as_the_end_of_that_day_in_the_uk(app, console):
    team_id, page = create_team(console, **typed(" 27 ", "03", NEXT_YEAR))
    assert f"The link works until the end of 27 Mar {NEXT_YEAR}." in page.text
    with app.app_context():
        expires = store.live_link(get_db(), team_id)["expires"]
    assert expires == datetime(int(NEXT_YEAR), 3, 28, tzinfo=UK)


def test_a_month_may_be_typed_as_a_name(app, console):
    team_id, _ = create_team(console, **typed("27", "Mar", NEXT_YEAR))
    with app.app_context():
        expires = store.live_link(get_db(), team_id)["expires"]
    assert expires.astimezone(UK).date() == date(int(NEXT_YEAR), 3, 28)


def test_an_empty_optional_date_is_allowed(app, console):
    team_id, _ = create_team(console, **typed("", "", " "))
    with app.app_context():
        assert store.live_link(get_db(), team_id)["expires"] is None


def test_odd_characters_in_the_boxes_are_a_clear_error_not_a_crash(app, console):
    odd = typed("=1+1\x00", "٣", "\u202e2027")
    response = console.post("/admin/teams/new", data={**TEAM, **odd})
    assert response.status_code == 422
    assert "Link expiry date must be a real date" in response.text
    assert "\x00" not in response.text and "\u202e" not in response.text
    assert teams(app) == []


def test_the_expiry_form_shows_the_links_date_in_the_boxes(console):
    team_id, _ = create_team(console, **typed("5", "7", NEXT_YEAR))
    page = console.get(f"/admin/teams/{team_id}").text
    assert 'value="5"' in box(page, "expiry-link_expires", "day")
    assert 'value="7"' in box(page, "expiry-link_expires", "month")
    assert f'value="{NEXT_YEAR}"' in box(page, "expiry-link_expires", "year")
    assert 'value=""' in box(page, "reissue-link_expires", "day")


def test_setting_an_expiry_date_stores_it(app, console):
    team_id, _ = create_team(console)
    response = console.post(
        f"/admin/teams/{team_id}/link/expiry",
        data=typed("1", "12", NEXT_YEAR, "expiry-link_expires"),
    )
    assert response.status_code == 302
    with app.app_context():
        expires = store.live_link(get_db(), team_id)["expires"]
    assert expires == datetime(int(NEXT_YEAR), 12, 2, tzinfo=UK)
    assert "Set the link’s expiry date." in console.get(f"/admin/teams/{team_id}").text


def test_a_wrong_expiry_date_keeps_the_parts_and_changes_nothing(app, console):
    team_id, _ = create_team(console, **typed("5", "7", NEXT_YEAR))
    response = console.post(
        f"/admin/teams/{team_id}/link/expiry",
        data=typed("30", "2", NEXT_YEAR, "expiry-link_expires"),
    )
    assert response.status_code == 422
    page = response.text
    assert '<a href="#expiry-link_expires-day">Link expiry date must be a real date</a>' in page
    assert highlighted(page, "expiry-link_expires") == {"day", "month", "year"}
    assert 'value="30"' in box(page, "expiry-link_expires", "day")
    assert 'value="2"' in box(page, "expiry-link_expires", "month")
    assert highlighted(page, "reissue-link_expires") == set()
    with app.app_context():
        expires = store.live_link(get_db(), team_id)["expires"]
    assert expires == datetime(int(NEXT_YEAR), 7, 6, tzinfo=UK)


def test_a_reissue_with_a_wrong_date_keeps_the_old_link(app, console):
    team_id, page = create_team(console)
    token = token_of(shown_link(page.text))
    response = console.post(
        f"/admin/teams/{team_id}/link/reissue", data=typed("12", "", "2030", "reissue-link_expires")
    )
    assert response.status_code == 422
    assert '<a href="#reissue-link_expires-month">Link expiry date must include a month</a>' in (
        response.text
    )
    assert highlighted(response.text, "reissue-link_expires") == {"month"}
    assert opens(app, token)


def test_a_reissued_link_takes_its_expiry_date(app, console):
    team_id, _ = create_team(console)
    response = console.post(
        f"/admin/teams/{team_id}/link/reissue",
        data={**date_parts("reissue-link_expires", f"{NEXT_YEAR}-06-30"), "confirmed": "yes"},
    )
    assert response.status_code == 302
    with app.app_context():
        expires = store.live_link(get_db(), team_id)["expires"]
    assert expires == datetime(int(NEXT_YEAR), 7, 1, tzinfo=UK)
