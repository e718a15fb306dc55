from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.plan.document import LABELS, STATUS_FILLS, STATUSES, build_action_plan, clean_text
from tests.plan_fixtures import EXAMPLE_PLAN, LABELS_EN, example_plan

MODULE = Path(__file__).resolve().parent.parent / "bot" / "plan" / "document.py"
ACTION_HEADER = [LABELS_EN[k] for k in ("action", "lead", "by_when", "support_needed", "progress")]
DESCRIPTORS = [d for domain in EXAMPLE_PLAN["domains"] for d in domain["descriptors"]]
TO_ACT_ON = [d for d in DESCRIPTORS if d["status"] in ("partly_met", "not_met")]
HOSTILE = (
    "bad\x00\x07\x0b\x0c\x1b\ufffe\uffff\ud800 text \U0001f37c\U0001f476\U0001f3fd "
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd <w:p> ]]> & </w:t> "
    "\u2028\u202e\tend"
)
ARABIC, HEBREW, EMOJI = "\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05dc\u05d5\u05dd", "\U0001f476"


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def data() -> bytes:
    return build_action_plan(EXAMPLE_PLAN)


@pytest.fixture(scope="module")
def doc(data):
    return open_docx(data)


def blocks(doc):
    """Yield the body's paragraphs and tables in document order."""
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, doc)
        elif child.tag == qn("w:tbl"):
            yield Table(child, doc)


def headings(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def table_texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_texts(doc) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        texts += [p.text for p in section.footer.paragraphs]
    return texts


def action_tables(doc) -> list[tuple[str, Table]]:
    """Return each action table with the text of the heading just before it."""
    found, last_heading = [], None
    for block in blocks(doc):
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            last_heading = block.text
        elif isinstance(block, Table) and table_texts(block)[0] == ACTION_HEADER:
            found.append((last_heading, block))
    return found


def status_heading(descriptor: dict, labels: dict = LABELS_EN) -> str:
    return f"{descriptor['title']} – {labels[descriptor['status']]}"


def test_title_page_names_team_date_version_contributors_and_status(doc):
    assert headings(doc, "Title") == [LABELS_EN["document_title"]]
    first = doc.tables[0]
    rows = dict((label, value) for label, value in table_texts(first))
    assert rows[LABELS_EN["team"]] == EXAMPLE_PLAN["team"]
    assert rows[LABELS_EN["date"]] == EXAMPLE_PLAN["date"]
    assert rows[LABELS_EN["tree_version"]] == "2026.1"
    assert rows[LABELS_EN["contributors"]] == "\n".join(EXAMPLE_PLAN["contributors"])
    assert rows[LABELS_EN["status"]] == LABELS_EN["final"]


def test_sections_are_heading_1_and_descriptors_heading_2(doc):
    level_1 = headings(doc, "Heading 1")
    domains = [d["title"] for d in EXAMPLE_PLAN["domains"]]
    assert level_1 == [
        LABELS_EN["where_you_stand"],
        LABELS_EN["at_a_glance"],
        *domains,
        LABELS_EN["next_steps"],
        LABELS_EN["appendix"],
    ]
    level_2 = headings(doc, "Heading 2")
    for descriptor in DESCRIPTORS:
        assert status_heading(descriptor) in level_2
    for label in ("what_would_change", "glossary", "sources"):
        assert LABELS_EN[label] in level_2


def test_descriptor_headings_carry_the_status_word(doc):
    level_2 = headings(doc, "Heading 2")
    assert "Clinical supervision – Partly met" in level_2
    assert "Age range up to two – Not met" in level_2
    assert "Referral pathway – Met" in level_2
    assert "Funding and commissioning – Not answered" in level_2


def test_one_action_table_per_descriptor_partly_or_not_met(doc):
    tables = action_tables(doc)
    assert [heading for heading, _ in tables] == [status_heading(d) for d in TO_ACT_ON]
    for descriptor, (_, table) in zip(TO_ACT_ON, tables, strict=True):
        rows = table_texts(table)
        assert rows[0] == ACTION_HEADER
        for action, row in zip(descriptor["actions"], rows[1:], strict=False):
            assert row[0] == f"{action['text']}\n{LABELS_EN['suggested_from']}: {action['source']}"
        blank = [row for row in rows[1:] if not any(cell.strip() for cell in row)]
        assert len(blank) >= 3
        assert len(rows) == 1 + len(descriptor["actions"]) + len(blank)


def test_action_tables_repeat_their_header_row_and_blank_rows_leave_room_to_write(doc):
    for _, table in action_tables(doc):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
        assert table.rows[-1].height >= Mm(10)


def test_no_action_table_for_met_or_unanswered_descriptors(doc):
    headings_before_tables = {heading for heading, _ in action_tables(doc)}
    for descriptor in DESCRIPTORS:
        if descriptor["status"] in ("met", "not_answered"):
            assert status_heading(descriptor) not in headings_before_tables


def test_met_descriptors_are_listed_as_strengths_with_their_evidence(doc):
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    for descriptor in DESCRIPTORS:
        start = texts.index(status_heading(descriptor))
        end = next(
            (i for i in range(start + 1, len(texts)) if paragraphs[i].style.name == "Heading 2"),
            len(texts),
        )
        block = texts[start:end]
        if descriptor["status"] == "met":
            strengths = block.index(LABELS_EN["strengths"])
            assert paragraphs[start + strengths].style.name == "Heading 3"
            assert block[strengths + 1] == descriptor["because"]
            assert LABELS_EN["evidence"] in block
            for item in descriptor["evidence"]:
                assert item in block
        else:
            assert LABELS_EN["strengths"] not in block


def test_answers_and_notes_appear_under_their_descriptor(doc):
    cells = {cell for table in doc.tables for row in table_texts(table) for cell in row}
    for descriptor in DESCRIPTORS:
        for answer in descriptor["answers"]:
            assert answer["question"] in cells
            assert answer["answer"] in cells
            if answer["note"]:
                assert answer["note"] in cells
    for answer in EXAMPLE_PLAN["extra_answers"]:
        assert answer["question"] in cells


def test_where_you_stand_gives_the_classification_in_words(doc):
    result = EXAMPLE_PLAN["classification"]
    texts = [p.text for p in doc.paragraphs]
    assert result["title"] in headings(doc, "Heading 2")
    assert result["summary"] in texts
    assert result["to_reach"] in texts
    assert result["targeted_note"] in texts
    bullets = headings(doc, "List Bullet")
    for reason in result["reasons"]:
        assert reason in bullets


def test_unfinished_audit_is_marked_as_a_draft_in_progress():
    plan = example_plan()
    plan["draft"] = True
    plan["classification"] = None
    doc = open_docx(build_action_plan(plan))
    texts = [p.text for p in doc.paragraphs]
    assert LABELS_EN["in_progress"] in texts
    title = doc.paragraphs[0]
    assert title.text == f"{LABELS_EN['document_title']}\n{LABELS_EN['draft']}"
    assert title.runs[-1].style.name == "Intense Reference"
    title_page = dict((label, value) for label, value in table_texts(doc.tables[0]))
    assert title_page[LABELS_EN["status"]] == LABELS_EN["draft"]
    footer = doc.sections[0].footer.paragraphs[0].text
    assert LABELS_EN["draft"] in footer.split(" – ")
    assert doc.core_properties.content_status == LABELS_EN["draft"]
    assert LABELS_EN["what_would_change"] not in headings(doc, "Heading 2")


def test_outside_the_definition_is_said_for_non_definitional_domains(doc):
    texts = [p.text for p in doc.paragraphs]
    for domain in EXAMPLE_PLAN["domains"]:
        start = texts.index(domain["title"])
        assert (texts[start + 1] == LABELS_EN["outside_definition"]) is not domain["definitional"]


def test_at_a_glance_counts_each_domain_and_shades_the_worst_status(doc):
    glance = next(t for t in doc.tables if table_texts(t)[0][0] == LABELS_EN["domain"])
    rows = table_texts(glance)
    assert rows[0] == [LABELS_EN["domain"], *(LABELS_EN[s] for s in STATUSES), LABELS_EN["status"]]
    with_descriptors = [d for d in EXAMPLE_PLAN["domains"] if d["descriptors"]]
    assert [row[0].split("\n")[0] for row in rows[1:]] == [d["title"] for d in with_descriptors]
    expected = {
        "Team composition and clinical governance": "partly_met",
        "Referrals and accessibility": "not_met",
        "Clinical work": "met",
        "Wider systems work": "not_met",
        "Outcomes and sustainability": "partly_met",
    }
    for domain, row, tr in zip(with_descriptors, rows[1:], glance.rows[1:], strict=True):
        assert row[1:5] == [str(domain["counts"][s]) for s in STATUSES]
        status = expected[domain["title"]]
        assert row[5] == LABELS_EN[status]  # the word, never colour alone
        shd = tr.cells[5]._tc.tcPr.find(qn("w:shd"))
        assert shd.get(qn("w:fill")) == STATUS_FILLS[status]
    assert LABELS_EN["outside_definition"] in rows[-1][0]


def _luminance(hex_rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("status", STATUSES)
def test_status_fills_keep_black_text_readable(status):
    contrast = (_luminance(STATUS_FILLS[status]) + 0.05) / 0.05
    assert contrast >= 7  # WCAG AAA for body text


def test_glossary_is_a_two_column_table_and_sources_a_bullet_list(doc):
    glossary = next(t for t in doc.tables if table_texts(t)[0][0] == "WTE (whole-time equivalent)")
    assert table_texts(glossary) == [[g["term"], g["definition"]] for g in EXAMPLE_PLAN["glossary"]]
    bullets = headings(doc, "List Bullet")
    for source in EXAMPLE_PLAN["sources"]:
        assert source in bullets


def test_next_steps_leave_a_review_date_to_fill_in(doc):
    texts = [p.text for p in doc.paragraphs]
    assert f"{LABELS_EN['review_date']}: {LABELS_EN['review_date_blank']}" in texts
    assert "Download a new action plan at the end and compare it with this one." in texts
    for step in EXAMPLE_PLAN["next_steps"]:
        assert step in texts


def test_document_properties_are_set(doc):
    props = doc.core_properties
    assert props.title == LABELS_EN["document_title"]
    assert props.subject == EXAMPLE_PLAN["team"]
    assert props.author == LABELS_EN["creator"]
    assert props.last_modified_by == LABELS_EN["creator"]
    assert props.created == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    assert props.language == "en-GB"
    assert props.content_status == LABELS_EN["final"]
    assert "python-docx" not in props.comments


def test_pages_are_a4_with_action_tables_in_landscape_sections(doc):
    sections = doc.sections
    for section in sections:
        size = {round(section.page_width.mm), round(section.page_height.mm)}
        assert size == {210, 297}
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        assert (section.page_width > section.page_height) is landscape
    orientations = [s.orientation for s in sections]
    assert orientations[0] == orientations[-1] == WD_ORIENT.PORTRAIT
    domains_with_actions = [
        d for d in EXAMPLE_PLAN["domains"] if any(x in TO_ACT_ON for x in d["descriptors"])
    ]
    assert orientations.count(WD_ORIENT.LANDSCAPE) == len(domains_with_actions)

    # Walk the body: a paragraph holding a sectPr ends a section.
    section_index, landscape_tables = 0, 0
    for block in blocks(doc):
        if isinstance(block, Table) and table_texts(block)[0] == ACTION_HEADER:
            assert orientations[section_index] == WD_ORIENT.LANDSCAPE
            landscape_tables += 1
        if (
            isinstance(block, Paragraph)
            and block._p.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None
        ):
            section_index += 1
    assert landscape_tables == len(TO_ACT_ON)


def test_every_page_after_the_title_page_has_the_footer(doc):
    assert doc.sections[0].different_first_page_header_footer
    assert not any(s.different_first_page_header_footer for s in doc.sections[1:])
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith(f"{LABELS_EN['document_title']} – {EXAMPLE_PLAN['team']}")
    assert footer._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_styles_not_direct_fonts_real_tables_no_text_boxes(data, doc):
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    root = etree.fromstring(body)
    for run_format in ("w:rFonts", "w:sz", "w:color", "w:b", "w:i"):
        assert not root.findall(f".//{qn('w:rPr')}/{qn(run_format)}"), run_format
    assert not root.findall(f".//{qn('w:txbxContent')}")
    assert not root.findall(f".//{qn('w:tab')}")
    assert {table.style.name for table in doc.tables} == {"Table Grid"}
    used = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= used


def test_docx_is_a_sound_zip(data):
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def welsh_plan() -> dict:
    plan = example_plan()
    plan["language"] = "cy"
    plan["labels"] = {key: f"CY:{key}" for key in LABELS}
    return plan


def data_strings(value) -> list[str]:
    """Every string in a plan except its labels."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "labels" for s in data_strings(v)]
    if isinstance(value, list):
        return [s for item in value for s in data_strings(item)]
    return []


def test_welsh_labels_leave_no_english_of_the_modules_own():
    plan = welsh_plan()
    doc = open_docx(build_action_plan(plan))
    known = sorted(
        {*plan["labels"].values(), *data_strings(plan)} - {"", "cy"}, key=len, reverse=True
    )
    for text in all_texts(doc):
        rest = text
        for string in known:
            rest = rest.replace(string, "")
        assert not re.search(r"[^\W\d_]", rest), (text, rest)

    titles = {d["title"] for d in DESCRIPTORS} | {d["title"] for d in plan["domains"]}
    titles.add(plan["classification"]["title"])
    for style in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        for heading in headings(doc, style):
            parts = heading.split(" – ")
            assert all(p.startswith("CY:") or p in titles for p in parts), heading
    props = doc.core_properties
    assert (props.title, props.author, props.content_status, props.language) == (
        "CY:document_title",
        "CY:creator",
        "CY:final",
        "cy-GB",
    )
    lang = doc.styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "cy-GB"


def test_a_missing_label_is_reported_by_name():
    plan = example_plan()
    del plan["labels"]["progress"]
    with pytest.raises(ValueError, match="progress"):
        build_action_plan(plan)


def hostile_plan() -> dict:
    plan = example_plan()
    long_note = ("Ten thousand characters of notes. " * 300)[:10_000]
    plan["team"] = HOSTILE * 20
    plan["date"] = HOSTILE
    plan["contributors"] = [HOSTILE, "\x00", ""]
    plan["labels"] = dict(plan["labels"], creator=HOSTILE, document_title="Plan " + HOSTILE)
    plan["classification"]["reasons"].append(HOSTILE)
    plan["next_steps"].append(HOSTILE)
    plan["glossary"].append({"term": HOSTILE, "definition": HOSTILE})
    plan["sources"].append(HOSTILE)
    plan["extra_answers"].append({"question": HOSTILE, "answer": HOSTILE, "note": long_note})
    for domain in plan["domains"]:
        domain["title"] += HOSTILE
        domain["note"] = HOSTILE
        for descriptor in domain["descriptors"]:
            descriptor["statement"] += HOSTILE
            descriptor["because"] = HOSTILE
            descriptor["evidence"].append(HOSTILE)
            descriptor["answers"].append({"question": HOSTILE, "answer": "\r\n", "note": long_note})
            descriptor["actions"].append({"text": HOSTILE * 50, "source": HOSTILE})
    return plan


def test_hostile_text_still_makes_a_document_that_opens():
    data = build_action_plan(hostile_plan())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(archive.read(name))  # strict XML parse: raises on bad characters
    doc = open_docx(data)
    text = "\n".join(all_texts(doc))
    for expected in (EMOJI, ARABIC, HEBREW, "<w:p>", "]]>", " & ", "</w:t>"):
        assert expected in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
    assert max(len(cell.text) for t in doc.tables for r in t.rows for cell in r.cells) >= 10_000
    props = doc.core_properties
    assert len(props.subject) == 255
    assert EMOJI in props.title
    assert props.author == clean_text(HOSTILE)
    footer = doc.sections[0].footer.paragraphs[0].text
    assert len(footer) < 200  # the long team name is shortened there


def test_a_plan_with_only_labels_still_builds():
    doc = open_docx(build_action_plan({"labels": LABELS_EN}))
    assert headings(doc, "Title") == [LABELS_EN["document_title"]]
    assert LABELS_EN["in_progress"] in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("a\x00b\x07c\x0bd\x0ce\x1bf", "abcdef"),
        ("x\ufffe\uffffy", "xy"),
        ("lone\ud800surrogate\udfff", "lonesurrogate"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("windows\r\nold mac\rline", "windows\nold mac\nline"),
        ("\U0001f476 \u05e9\u05dc\u05d5\u05dd", "\U0001f476 \u05e9\u05dc\u05d5\u05dd"),
        (None, ""),
        (42, "42"),
    ],
)
def test_clean_text_keeps_only_what_xml_can_hold(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_labels_table_documents_every_key_the_fixture_provides():
    assert set(LABELS) == set(LABELS_EN)
