"""The Word action plan as a team downloads it."""

import io
import re

from docx import Document

from tests.profiles import PROFILES, SPECIALISED
from tests.test_audit_journey import walk

TARGETED_PLUS_GAP = next(p for p in PROFILES if p.name == "a targeted flag plus another gap")


def download(client, token):
    response = client.get(f"/a/{token}/action-plan.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return response, Document(io.BytesIO(response.data))


def all_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_finished_audit_plan_has_the_result_strengths_and_actions(client, make_team):
    _, token = make_team("Riverside Parent-Infant Team")
    walk(client, token, TARGETED_PLUS_GAP.answers, note="Supervision log kept by Priya")
    client.post(f"/a/{token}/finish")
    response, document = download(client, token)
    disposition = response.headers["Content-Disposition"]
    assert re.search(
        r"riverside-parent-infant-team-action-plan-\d{4}-\d{2}-\d{2}\.docx", disposition
    )
    text = all_text(document)
    assert "Not yet meeting the definition" in text
    assert "Draft" not in text.split("\n")[0:6]
    assert "Supervision log kept by Priya" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Where you stand" in h for h in headings)
    assert any("Staff" in h or "competenc" in h.lower() for h in headings)
    action_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    assert len(action_tables) >= 2
    assert document.core_properties.title


def test_unfinished_audit_gives_a_draft_from_the_check_page(client, team):
    _, token = team
    client.post(f"/a/{token}/q/sup_under3_count", data={"answer": "0"})
    assert "Download a draft action plan" in client.get(f"/a/{token}/check").text
    _, document = download(client, token)
    assert "Draft" in all_text(document)


def test_hostile_text_still_gives_a_document_that_opens(client, team):
    _, token = team
    hostile = "\x07\x0b😀 עברית العربية <w:p> ]]> & " + "y" * 4000
    walk(client, token, SPECIALISED, note=hostile)
    client.post(f"/a/{token}/finish")
    _, document = download(client, token)
    text = all_text(document)
    assert "😀 עברית العربية <w:p> ]]> &" in text
