"""The national report of a release: a Word document that opens, key facts first, each table
with a chart whose alt text says the published numbers (hidden ones as hidden)."""

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from bot.national.downloads import long_records, wide_rows
from bot.national.release import make_release
from bot.national.report import report_docx
from tests.national_support import SCORED, SHAPE, finished_team

BY_RESULT = {}
for standing in SCORED:
    BY_RESULT.setdefault(standing.result, standing)


@pytest.fixture(scope="module")
def release():
    teams = [finished_team(n, "england", BY_RESULT["specialised"]) for n in range(8)]
    teams += [finished_team(10 + n, "scotland", BY_RESULT["targeted"]) for n in range(4)]
    teams += [finished_team(20, "wales", BY_RESULT["not_yet_meeting"])]
    return make_release(teams, SHAPE, [], date(2026, 3, 4))


def test_the_report_opens_with_key_facts_tables_and_charts_with_alt_text(release):
    doc = Document(io.BytesIO(report_docx(release)))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert "release of 4 March 2026" in paragraphs[1].text
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Key facts"
    assert "How small numbers are protected" in headings
    assert len(doc.tables) == len(release.layout.tables)
    assert doc.tables[1].rows[1].cells[0].text == "Specialised parent-infant relationship team"
    specialised = release.layout.table("results").cell("specialised", "uk")
    assert doc.tables[1].rows[1].cells[1].text == str(release.shown_or_hidden(specialised))
    described = [element.get("descr") for element in doc.element.body.iter(qn("wp:docPr"))]
    assert len(described) == len(release.layout.tables)
    assert all(text.startswith("Bar chart.") for text in described)
    results = next(text for text in described if "Teams by result, UK" in text)
    for key, title in release.layout.shape.results:
        value = release.value("results", key, "uk")
        assert f"{title}: {'hidden' if value is None else value}" in results


def test_a_hidden_figure_is_marked_hidden_in_the_report_and_both_csvs(release):
    assert release.hidden, "the scenario has a small count"
    doc = Document(io.BytesIO(report_docx(release)))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert cells.count("hidden") >= len(release.hidden)
    long = list(long_records(release))
    assert sum(record["count"] == "hidden" for record in long) == len(release.hidden)
    assert {record["release_date"] for record in long} == {"2026-03-04"}
    wide = wide_rows(release)
    assert wide[1] == ["Release date", "2026-03-04"]
    assert sum(row.count("hidden") for row in wide[3:]) >= len(release.hidden)
