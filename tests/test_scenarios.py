"""Team profiles through the engine on the real self-audit tree."""

import json
import re

import pytest
from click.testing import CliRunner

from bot.tree.commands import tree_commands
from bot.tree.engine import evaluate
from tests.conftest import question_tree
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()


def test_the_real_tree_loads_with_its_domains_and_descriptors():
    assert len(TREE.descriptors) == 12
    assert {domain.id for domain in TREE.domains if domain.definitional} == {
        "team_governance",
        "referrals_access",
        "clinical_work",
        "wider_systems",
    }


def test_check_command_passes_on_the_real_tree():
    result = CliRunner().invoke(tree_commands, ["check"])
    assert result.exit_code == 0, result.output
    paths = re.search(r"(\d+) paths, every one ending with a classification", result.output)
    assert paths and int(paths.group(1)) > 50, result.output


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_profile_gives_the_expected_result(profile):
    result = evaluate(TREE, profile.answers)
    assert result.journey.complete, f"stopped at {result.journey.next}"
    assert result.classification == profile.classification
    assert result.flags == profile.flags
    if profile.classification != "specialised":
        assert set(result.reasons) == set(profile.unmet)
    for descriptor_id, status in profile.statuses.items():
        assert result.descriptors[descriptor_id].status == status, descriptor_id
    if profile.to_reach:
        assert (result.to_reach.result, result.to_reach.change) == profile.to_reach


def test_every_profile_answer_is_on_the_path():
    for profile in PROFILES:
        result = evaluate(TREE, profile.answers)
        assert set(result.journey.path) == set(profile.answers), profile.name


def test_simulate_matches_the_engine(tmp_path):
    profile = next(p for p in PROFILES if p.name == "both targeted flags")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(profile.answers))
    result = CliRunner().invoke(tree_commands, ["simulate", str(answers)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["classification"] == "targeted"
    assert printed["flags"] == ["targeted_age_under_one", "targeted_referral_criteria"]
    assert printed["next"] is None
    assert printed["descriptors"]["referral_criteria"]["status"] == "not_met"


def test_the_8b_reason_says_it_is_accepted_and_noted():
    result = evaluate(TREE, {**SPECIALISED, "lead_pay_band": "band_8b_former_8c"})
    because = result.descriptors["clinical_leadership"].because.render().lower()
    assert "8b" in because and "8c" in because


def test_the_supervision_reason_shows_the_calculation():
    answers = {**SPECIALISED, "sup_under3_wte": 2.5, "sup_under3_hours": 7}
    because = evaluate(TREE, answers).descriptors["clinical_supervision"].because.render()
    assert "10" in because and "7" in because
