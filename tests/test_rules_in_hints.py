"""The rules that decide an answer are in the question's hint, tied to its field; "Why we ask"
keeps only the why."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.audit_support import form_data, team_at

RULES = {
    "sup_under3_count": ["including the clinical lead", "Leave out admin staff"],
    "sup_3plus_count": ["including the clinical lead", "Leave out admin staff"],
    "sup_under3_wte": ["Count only their hours in this team"],
    "sup_under3_hours": ["a one-hour group session with three of them counts as three hours"],
    "sup_under3_frequency": ["answer for the one who has it least often", "not how often"],
}
ANSWERS_BEFORE = {
    "sup_under3_count": {},
    "sup_3plus_count": {"sup_under3_count": 0},
    "sup_under3_wte": {"sup_under3_count": 2},
    "sup_under3_hours": {"sup_under3_count": 2, "sup_under3_wte": 1.5},
    "sup_under3_frequency": {"sup_under3_count": 2, "sup_under3_wte": 1.5, "sup_under3_hours": 6},
}


def hint_and_why(page: str) -> tuple[str, str]:
    hint = re.search(r'<p class="hint" id="answer-hint">(.*?)</p>', page, re.S)
    why = re.search(r"Why we ask</summary>(.*?)</details>", page, re.S)
    return unescape(hint.group(1)) if hint else "", unescape(why.group(1)) if why else ""


@pytest.mark.parametrize("question_id", list(RULES))
def test_the_rules_are_in_the_hint_not_under_why_we_ask(client, team, question_id):
    _, token = team
    prefix = team_at(client, token)
    for earlier, value in ANSWERS_BEFORE[question_id].items():
        client.post(f"{prefix}/q/{earlier}", data=form_data(value))
    page = client.get(f"{prefix}/q/{question_id}").text
    hint, why = hint_and_why(page)
    assert 'aria-describedby="answer-hint' in page
    for rule in RULES[question_id]:
        assert rule in hint, (question_id, rule)
        assert rule not in why, (question_id, rule)


def test_the_line_management_question_does_not_assume_they_are_apart(client, team):
    _, token = team
    prefix = team_at(client, token)
    for earlier, value in {"sup_under3_count": 0, "sup_3plus_count": 0}.items():
        client.post(f"{prefix}/q/{earlier}", data=form_data(value))
    page = unescape(client.get(f"{prefix}/q/sup_line_management").text)
    assert "Who gives clinical supervision, and is it separate from line management?" in page
    assert "kept apart" not in page
