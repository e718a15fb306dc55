"""The Word action plan as a team downloads it: the bytes opened with python-docx."""

import io
import re

import pytest
from docx import Document

from bot.tree import model as m
from bot.tree.engine import answers_on_path, descriptor_values, evaluate
from bot.tree.expressions import Environment
from tests.action_support import CONTRADICTED
from tests.audit_support import team_at, walk
from tests.conftest import question_tree
from tests.profiles import PROFILES, SPECIALISED

BY_NAME = {profile.name: profile for profile in PROFILES}
TARGETED_PLUS_GAP = BY_NAME["a targeted flag plus another gap"]
#: Profiles whose plans are opened: one of each result, and several kinds of gap.
PLAN_PROFILES = [
    BY_NAME[name]
    for name in (
        "everything met",
        "skips the optional block in one answer",
        "referrals only up to the first birthday",
        "both targeted flags",
        "a targeted flag plus another gap",
        "8B without consultant responsibilities is partly met",
        "no consultant lead or oversight",
        "everything met but outcomes and sustainability",
        "single-discipline team with one programme for everyone",
    )
]
STATUS_WORDS = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_answered": "Not answered yet",
}
PRIORITY_WORDS = {
    "Needed to meet the definition": 0,
    "Needed to be a specialised team": 1,
    "Strengthens the team": 2,
}


def download(client, token):
    response = client.get(f"{team_at(client, token)}/action-plan.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return response, Document(io.BytesIO(response.data))


def all_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def finished_plan(client, make_team, answers, note=""):
    _, token = make_team("Riverside Parent-Infant Team")
    walk(client, token, answers, note=note)
    client.post(f"{team_at(client, token)}/finish")
    return download(client, token)


def action_rows(document):
    """Yield (heading before the table, the action's first line, Done when) for every row."""
    heading = None
    body = document.element.body
    tables = iter(document.tables)
    paragraphs = {p._p: p for p in document.paragraphs}
    for child in body.iterchildren():
        if child in paragraphs and paragraphs[child].style.name.startswith("Heading"):
            heading = paragraphs[child].text
        elif child.tag.endswith("}tbl"):
            table = next(tables)
            if [c.text for c in table.rows[0].cells[:2]] != ["Action", "Done when"]:
                continue
            for row in table.rows[1:]:
                text = row.cells[0].text.split("\n")[0]
                if text.strip():
                    yield heading, text, row.cells[1].text


@pytest.fixture(scope="module")
def tree():
    return question_tree()


@pytest.fixture(scope="module")
def plan_of(finished_audit):
    """Each profile's Word plan, downloaded once from its finished audit and opened by each test."""
    documents = {}

    def plan(profile):
        if profile.name not in documents:
            audit = finished_audit(profile)
            documents[profile.name] = download(audit.client(), audit.token)[1]
        return documents[profile.name]

    return plan


@pytest.mark.parametrize("profile", PLAN_PROFILES, ids=[p.name for p in PLAN_PROFILES])
def test_the_status_table_has_all_twelve_descriptors_and_their_statuses(plan_of, tree, profile):
    document = plan_of(profile)
    evaluation = evaluate(tree, profile.answers)
    status = next(t for t in document.tables if t.rows[0].cells[0].text == "Domain")
    rows = [[cell.text for cell in row.cells] for row in status.rows]
    assert rows[0] == ["Domain", "Descriptor", "Status"]
    assert len(tree.descriptors) == 12
    assert [(row[1], row[2]) for row in rows[1:]] == [
        (d.title, STATUS_WORDS[evaluation.descriptors[d.id].status]) for d in tree.descriptors
    ]
    for row, descriptor in zip(rows[1:], tree.descriptors, strict=True):
        assert row[0].split("\n")[0] == tree.domains_by_id[descriptor.domain].title


@pytest.mark.parametrize("profile", PLAN_PROFILES, ids=[p.name for p in PLAN_PROFILES])
def test_the_tables_put_the_gaps_in_the_definition_first(plan_of, tree, profile):
    document = plan_of(profile)
    evaluation = evaluate(tree, profile.answers)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    tables = [h for h in headings if any(h.endswith(f" – {word}") for word in PRIORITY_WORDS)]
    ranks = [next(r for w, r in PRIORITY_WORDS.items() if h.endswith(w)) for h in tables]
    assert ranks == sorted(ranks)
    gaps = [
        d.title
        for d in tree.descriptors
        if d.id in tree.definitional_descriptors
        and evaluation.descriptors[d.id].status in ("partly_met", "not_met")
    ]
    flagged = {
        tree.descriptors_by_id[tree.flags_by_id[f].descriptor].title for f in evaluation.flags
    }
    expected_first = [t for t in gaps if t not in flagged] + [t for t in gaps if t in flagged]
    assert [h.split(" – ")[0] for h in tables[: len(expected_first)]] == expected_first
    if profile.classification == "targeted":
        assert all(h.endswith("Needed to be a specialised team") for h in tables[: len(gaps)])


@pytest.mark.parametrize("profile", PLAN_PROFILES, ids=[p.name for p in PLAN_PROFILES])
def test_page_one_gives_the_first_steps_from_the_tables_and_a_sign_off_box(plan_of, profile):
    document = plan_of(profile)
    first = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    steps = [text for _, text, _ in action_rows(document)]
    if steps:
        assert first[0] == ["Action", "Lead", "By when", "Support needed"]
        assert 1 <= len(first) - 1 <= 3
        for row in first[1:]:
            assert any(row[0].endswith(f": {step.split(' (From: ')[0]}") for step in steps)
    sign_off = [
        [cell.text for cell in row.cells] for row in document.tables[1 if steps else 0].rows
    ]
    assert sign_off[0] == ["Role", "Name", "Signature", "Date"]
    assert [row[0] for row in sign_off[1:]] == ["Clinical lead", "Service manager", "Commissioner"]


@pytest.mark.parametrize("profile", PLAN_PROFILES, ids=[p.name for p in PLAN_PROFILES])
def test_every_action_in_the_plan_is_one_the_answers_call_for(plan_of, tree, profile):
    """Each action row is the engine's choice for these answers, and no condition contradicts them.

    An action with a condition appears only when the condition holds on the team's answers; one
    without appears only under a descriptor with a gap. Every chosen action is in the plan.
    """
    answers = profile.answers
    document = plan_of(profile)
    evaluation = evaluate(tree, answers)
    on_path = answers_on_path(evaluation.journey, answers)
    by_title = {d.title: d for d in tree.descriptors}
    shown: dict[str, list[str]] = {}
    for heading, text, done_when in action_rows(document):
        title, status, priority = heading.split(" – ")
        descriptor = by_title[title]
        outcome = evaluation.descriptors[descriptor.id]
        assert status == STATUS_WORDS[outcome.status] and priority in PRIORITY_WORDS
        action = next(
            a for a in outcome.actions if text.startswith(f"{outcome.action_text(a).render()} (")
        )
        assert done_when == outcome.done_when(action).render()
        if action.when is not None:
            names = descriptor_values(descriptor, on_path, evaluation.flags)
            names[m.GAP] = outcome.status != m.MET  # the tree's `gap`: this descriptor not met
            assert action.when.holds(Environment(names, evaluation.flags)), action.id
            # ... and the answers do not say the team already does it (written from its text).
            assert not CONTRADICTED[action.id](on_path), action.id
        else:
            assert outcome.status in ("partly_met", "not_met"), action.id
            assert action.for_every_gap, action.id
        shown.setdefault(descriptor.id, []).append(action.id)
    for descriptor in tree.descriptors:
        chosen = [a.id for a in evaluation.descriptors[descriptor.id].actions]
        assert shown.get(descriptor.id, []) == chosen, descriptor.id


@pytest.mark.parametrize("profile", PLAN_PROFILES, ids=[p.name for p in PLAN_PROFILES])
def test_no_heading_twice_and_no_would_you_like_row(plan_of, tree, profile):
    document = plan_of(profile)
    found = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert len(found) == len(set(found)), [h for h in found if found.count(h) > 1]
    gate = [
        q
        for q in tree.questions
        if tree.domains_by_id[q.domain].optional and any(o.next for o in q.options)
    ]
    assert gate, "the tree's optional block has a question that offers or skips it"
    text = all_text(document)
    for question in gate:
        assert question.text not in text
        for option in question.options:
            assert option.label not in text
    optional_titles = [d.title for d in tree.domains if d.optional]
    answered_optional = [
        q for q in tree.questions if tree.domains_by_id[q.domain].optional and q not in gate
    ]
    if profile.answers.get(gate[0].id) == gate[0].options[0].value:
        assert optional_titles[0] in found
        assert all(q.text in text for q in answered_optional if q.id in profile.answers)
    else:
        assert optional_titles[0] not in found


def test_finished_audit_plan_has_the_result_notes_and_actions(client, make_team):
    response, document = finished_plan(
        client, make_team, TARGETED_PLUS_GAP.answers, note="Supervision log kept by Priya"
    )
    disposition = response.headers["Content-Disposition"]
    assert re.search(
        r"riverside-parent-infant-team-action-plan-\d{4}-\d{2}-\d{2}\.docx", disposition
    )
    text = all_text(document)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Result: Not yet meeting the definition"
    assert "Supervision log kept by Priya" in text
    assert (
        "Staff infant mental health competencies – Not met – Needed to meet the definition"
        in headings
    )
    assert document.core_properties.title


def test_unfinished_audit_gives_a_draft_from_the_check_page(client, team):
    _, token = team
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data={"answer": "0"})
    assert "Download a draft action plan" in client.get(f"{team_at(client, token)}/check").text
    response, document = download(client, token)
    assert "Draft" in document.paragraphs[0].text
    assert "-action-plan-draft-" in response.headers["Content-Disposition"]
    assert any(t.rows[0].cells[1].text == "Descriptor" for t in document.tables)


def test_the_welsh_plan_has_the_same_shape(client, make_team):
    _, token = make_team("Tîm Rhiant a Baban Glan-yr-afon")
    walk(client, token, TARGETED_PLUS_GAP.answers)
    client.post(f"{team_at(client, token)}/finish")
    _, english = download(client, token)
    client.get("/language/cy")
    _, welsh = download(client, token)

    def shape(document):
        return (
            [(p.style.name) for p in document.paragraphs if p.style.name != "Normal"],
            [(len(t.rows), len(t.columns)) for t in document.tables],
            [s.orientation for s in document.sections],
        )

    assert shape(welsh) == shape(english)
    assert any(t.rows[0].cells[0].text == "Maes" for t in welsh.tables)
    assert welsh.core_properties.language == "cy-GB"
    welsh_text = all_text(welsh)
    for english_only in ("Needed to meet the definition", "Action plan", "First steps"):
        assert english_only not in welsh_text


def test_hostile_text_still_gives_a_document_that_opens(client, team):
    _, token = team
    hostile = "\x07\x0b😀 עברית العربية <w:p> ]]> & " + "y" * 4000
    walk(client, token, SPECIALISED, note=hostile)
    client.post(f"{team_at(client, token)}/finish")
    _, document = download(client, token)
    text = all_text(document)
    assert "😀 עברית العربية <w:p> ]]> &" in text
