"""Every rule of the self-audit page, asked and decided as its words say: team profiles through
the engine and through HTTP, the justification of each in the page's own words, and the table
of profiles in docs/decisions.md kept in step with them."""

import re
from pathlib import Path

import pytest

from bot.tree.engine import evaluate
from tests.audit_support import form_data, path_of, team_at
from tests.conftest import question_tree
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()
ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = (Path(__file__).parent / "data" / "self-audit-page.txt").read_text(encoding="utf-8")
DECISIONS = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
BY_NAME = {profile.name: profile for profile in PROFILES}


def plain(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_each_justification_quotes_the_self_audit_page(profile):
    for fragment in profile.seed.split(" ... "):
        assert plain(fragment) in plain(SEED_PAGE), fragment
    if profile.decision is not None:
        assert re.search(rf"^### {profile.decision}\. ", DECISIONS, re.M)


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_each_profile_through_the_site_gives_the_result_the_page_gives(finished_audit, profile):
    audit = finished_audit(profile)
    assert set(audit.asked) == set(profile.answers)
    assert audit.finish_location == f"/t/{audit.team_id}/result"
    member = audit.client()
    page = member.get(f"{team_at(member, audit.token)}/result").text
    result = TREE.results_by_id[profile.classification]
    assert f'class="panel-title">{result.title}</h1>' in page
    for flag_id in profile.flags:
        assert TREE.flags_by_id[flag_id].title in page
    for words in profile.says:
        assert words in page, words


def test_the_decisions_table_lists_every_profile_with_its_result():
    table = DECISIONS[DECISIONS.index("## Team profiles and their results") :]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] not in ("Profile", "") and not cells[0].startswith("-"):
            rows[cells[0]] = (cells[1], ids_in(cells[2]), ids_in(cells[3]))
    titles = {result.id: result.title for result in TREE.results}
    expected = {}
    for profile in PROFILES:
        result = evaluate(TREE, profile.answers)
        gaps = set(result.reasons) if result.classification != "specialised" else set()
        expected[profile.name] = (titles[profile.classification], gaps, set(result.flags))
    assert rows == expected


def ids_in(cell: str) -> set[str]:
    return set(re.findall(r"`([a-z0-9_]+)`", cell))


def test_a_team_that_accepts_relationship_concerns_is_still_asked_about_limits():
    answers = {**SPECIALISED}
    answers.pop("referral_limiting_characteristic")
    journey = evaluate(TREE, answers).journey
    assert journey.next == "referral_limiting_characteristic"


def test_none_of_these_cannot_be_combined_with_a_limit(client, team):
    _, token = team
    walk_to(client, token, "referral_limiting_characteristic")
    response = client.post(
        f"{team_at(client, token)}/q/referral_limiting_characteristic",
        data=form_data(["able_to_pay", "no_limit"]),
    )
    assert response.status_code == 422
    assert "cannot select ‘None of these’ with other options" in response.text


@pytest.mark.parametrize(
    ("months_question", "value", "limit"),
    [("referral_age_months_under_one", 12, "11"), ("referral_age_months_under_two", 24, "23")],
)
def test_an_age_limit_must_fall_in_the_band_chosen(client, team, months_question, value, limit):
    _, token = team
    band = "before_first_birthday" if "one" in months_question else "between_first_and_second"
    walk_to(client, token, "referral_age_range")
    response = client.post(f"{team_at(client, token)}/q/referral_age_range", data=form_data(band))
    assert path_of(response) == f"{team_at(client, token)}/q/{months_question}"
    refused = client.post(f"{team_at(client, token)}/q/{months_question}", data=form_data(value))
    assert refused.status_code == 422
    assert f"Enter a number of {limit} or less" in refused.text


def test_after_no_outcomes_data_the_kinds_and_sharing_are_not_asked():
    answers = BY_NAME["no outcomes data collected"].answers
    path = evaluate(TREE, answers).journey.path
    assert "outcomes_kinds" not in path and "outcomes_reporting" not in path
    assert path[path.index("outcomes_collection") + 1] == "funding_sufficiency"


def test_the_wider_systems_reason_reports_the_share_against_the_50_percent():
    for share, status in ((50, "met"), (30, "partly_met")):
        outcome = evaluate(TREE, {**SPECIALISED, "systems_share_percent": share}).descriptors[
            "wider_systems_work"
        ]
        assert outcome.status == status
        because = outcome.because.render()
        assert f"{share}%" in because and "50%" in because


@pytest.mark.parametrize(
    "profession",
    [option.value for option in TREE.question("lead_profession").options][:-1],
)
def test_every_psychologist_and_psychotherapist_can_lead(profession):
    answers = {**SPECIALISED, "lead_profession": profession}
    if profession == "educational_psychologist":
        answers["lead_pay_scale"] = "agenda_for_change"
    assert evaluate(TREE, answers).descriptors["clinical_leadership"].status == "met"


def test_the_two_experience_bands_read_apart_and_carry_their_rule_in_the_hint():
    for kind in ("wte", "hours", "each"):
        under3 = TREE.question(f"sup_under3_{kind}")
        plus3 = TREE.question(f"sup_3plus_{kind}")
        assert under3.text != plus3.text
        assert "less than three years" in under3.text and "three years' experience or more" in (
            plus3.text
        )
    assert "4 hours in four weeks for every 1.0 WTE" in TREE.question("sup_under3_hours").hint
    assert "2 hours in four weeks for every 1.0 WTE" in TREE.question("sup_3plus_hours").hint


def walk_to(client, token, question_id):
    """Answer from the specialised profile until the site asks `question_id`."""
    location = path_of(client.get(f"{team_at(client, token)}/next"))
    while not location.endswith(f"/q/{question_id}"):
        asked = location.rsplit("/", 1)[1]
        location = path_of(client.post(location, data=form_data(SPECIALISED[asked])))


def action_texts(answers, descriptor_id):
    outcome = evaluate(TREE, answers).descriptors[descriptor_id]
    return {action.id: outcome.action_text(action).render() for action in outcome.actions}


def test_a_band_short_of_its_hours_is_told_how_many_to_add():
    # "These amounts can be adjusted on a pro-rata basis": 1.5 WTE need 6 hours in four weeks.
    short = BY_NAME["part-time staff pro rata: half an hour short"].answers
    texts = action_texts(short, "clinical_supervision")
    assert "Add 0.5 hours in four weeks" in texts["add_under3_hours"]
    assert "the 6 hours their 1.5 WTE needs" in texts["add_under3_hours"]
    assert "weekly_under3" not in texts


def test_pro_rata_shortens_sessions_but_never_spaces_them_out():
    weekly = BY_NAME["part-time new staff weekly with pro-rata hours"].answers
    fortnightly = BY_NAME["part-time new staff fortnightly with pro-rata hours"].answers
    assert action_texts(weekly, "clinical_supervision") == {}
    texts = action_texts(fortnightly, "clinical_supervision")
    assert "add_under3_hours" not in texts
    assert "supervision every week" in texts["weekly_under3"]
