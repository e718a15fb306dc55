"""The team and the console see one evaluation of an audit, also after the tree changes under it.

The audit is answered on version 1; on version 2 one stored answer no longer fits its
question (an option was removed), so the team is asked it again. Every view of the audit
must count it as unanswered, and once finished every view must give the same result.
"""

import csv
import io
import re

from bot import store
from bot.db import get_db
from bot.trees import current_tree
from tests.admin_support import make_admin, sign_in_directly
from tests.audit_support import form_data, team_at, walk
from tests.national_support import table_cell as cell
from tests.profiles import SPECIALISED

ANSWERED = re.compile(r"answered (\d+) of about (\d+) questions")


def audits_csv(console) -> dict:
    rows = list(csv.DictReader(io.StringIO(console.get("/admin/exports/audits.csv").text)))
    assert len(rows) == 1
    return rows[0]


def test_team_page_console_progress_national_and_exports_agree_after_a_tree_move(apps):  # noqa: F811
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Moving team", nation="wales")
    early = {**SPECIALISED, "referral_pathway": "informal"}
    walk(before.test_client(), token, early)

    team = after.test_client()
    answered, total = map(
        int, ANSWERED.search(team.get(f"{team_at(team, token)}/?intro=1").text).groups()
    )
    console = after.test_client()
    sign_in_directly(console, make_admin(after))
    with after.app_context():
        fitted = {
            question_id: value
            for question_id, value in early.items()
            if question_id in current_tree().questions_by_id and question_id != "referral_pathway"
        }
    percent = round(100 * answered / total)

    assert (
        f"{answered} questions answered on the current path"
        in console.get(f"/admin/teams/{team_id}").text
    )
    assert f"In progress: {percent}%" in console.get("/admin/").text
    exported = audits_csv(console)
    assert exported["status"] == "in_progress"
    assert int(exported["percent_answered"]) == percent
    assert answered <= len(fitted)
    national = console.get("/admin/national/live").text  # staff only: nothing hidden
    assert cell(national, "teams", "wales", "teams") == "1"
    assert cell(national, "results", "not_finished", "uk") == "1"

    team.post(f"{team_at(team, token)}/q/referral_pathway", data=form_data("written_and_shared"))
    walk(team, token, {**SPECIALISED, "referral_self_referral": "yes"})
    assert team.post(f"{team_at(team, token)}/finish").status_code == 302
    result_page = team.get(f"{team_at(team, token)}/result").text
    with after.app_context():
        titles = {result.id: result.title for result in current_tree().results}
    shown = [result for result, title in titles.items() if f">{title}</h1>" in result_page]
    assert len(shown) == 1
    result = shown[0]

    assert f"tag-result-{result}" in console.get("/admin/").text
    assert f">{titles[result]}<" in console.get(f"/admin/teams/{team_id}").text
    exported = audits_csv(console)
    assert (exported["status"], exported["result"]) == ("finished", result)
    national = console.get("/admin/national/live").text
    assert cell(national, "results", result, "uk") == "1"
    assert cell(national, "results", "not_finished", "uk") == "0"
