"""The national picture's pages: releases published from the console, their downloads, and
the live figures kept for staff. Teams are made through the store; the pages through HTTP."""

import csv
import io

import pytest
from docx import Document

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly
from tests.conftest import question_tree
from tests.national_support import facts_of
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()
BY_NAME = {profile.name: profile.answers for profile in PROFILES}
NO_LEAD = BY_NAME["no consultant lead or oversight"]
AGE_FLAG = BY_NAME["referrals only up to the first birthday"]


def seed(app, nation, answers, *, finish=True, pending=False):
    with app.app_context():
        db = get_db()
        team_id, _ = store.create_team(db, "Team", nation=nation, self_registered=pending)
        audit = store.current_audit(
            db, team_id, tree_id=TREE.id, tree_version=TREE.version, tree_digest=TREE.digest
        )
        for question_id, value in answers.items():
            store.record_answer(db, audit["id"], question_id, value, tree=TREE)
        if finish:
            store.finish_audit(db, audit["id"], tree=TREE)
        return team_id


@pytest.fixture
def console(app, client):
    sign_in_directly(client, make_admin(app))
    return client


def publish(client):
    page = client.get("/admin/national/releases/new")
    assert page.status_code == 200
    assert "Publish this release" in page.text
    response = client.post("/admin/national/releases/new")
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def test_a_release_is_published_from_the_console_and_served_as_page_csvs_and_report(app, console):
    for _ in range(6):
        seed(app, "england", SPECIALISED)
    for _ in range(3):
        seed(app, "england", NO_LEAD)
    seed(app, "wales", AGE_FLAG)
    for _ in range(3):
        seed(app, "scotland", {}, finish=False)
    assert (
        "No release of the national picture has been published yet."
        in console.get("/admin/national").text
    )
    location = publish(console)
    page = console.get(location).text
    assert "13 teams are taking part across the UK" in facts_of(page)[0]
    assert "10 of them have finished their audit." in facts_of(page)
    long_csv = console.get(location + "/figures.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(long_csv.lstrip("\ufeff"))))
    assert {"table", "row", "column", "count", "release_date"} <= set(rows[0])
    wide = console.get(location + "/tables.csv").get_data(as_text=True)
    assert "Release date" in wide
    report = Document(io.BytesIO(console.get(location + "/report.docx").data))
    assert report.tables
    assert console.get("/admin/exports/national.csv").get_data(as_text=True) == long_csv


def test_live_figures_are_marked_not_for_publication(app, console):
    seed(app, "england", SPECIALISED)
    page = console.get("/admin/national/live")
    assert page.status_code == 200
    assert "Not for publication" in page.text
    assert "1 team is taking part across the UK" in page.text
