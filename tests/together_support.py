"""Two members of one team on one audit, through the test client: shared helpers."""

from __future__ import annotations

import re
from html import unescape

from tests.audit_support import team_at

LEAD = "lead_arrangement"


def member(app, token, name, role=""):
    """A colleague in their own browser who has said who they are."""
    client = app.test_client()
    started = client.post(f"{team_at(client, token)}/", data={"name": name, "role": role})
    assert started.status_code == 302
    return client


def shown(client, token, question_id):
    """Open a question page; return the page text and the form fields it would post."""
    page = client.get(f"{team_at(client, token)}/q/{question_id}")
    assert page.status_code == 200, page.headers.get("Location")
    revision = re.search(r'name="revision" value="(\d*)"', page.text)
    assert revision, "the question form carries no revision"
    return page.text, {"revision": revision.group(1)}


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def conflict_form(response) -> dict:
    """The fields of the conflict page's form, as the browser would post them."""
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', response.text)
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(unescape(value))
    return data
