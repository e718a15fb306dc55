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
DESCRIPTORS = [d for domain in EXAMPLE_PLAN["domains"] for d in domain["descriptors"]]
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


ACTION_HEADER = [
    LABELS_EN[k] for k in ("action", "priority", "lead", "by_when", "support_needed", "progress")
]
STATUS_HEADER = [LABELS_EN[k] for k in ("domain", "descriptor", "status")]
TO_ACT_ON = [d for d in DESCRIPTORS if d["priority"]]
PRIORITY_ORDER = ("definition", "specialised", "strengthen")


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


def page_one(doc) -> list:
    """The blocks before the first section break: the summary page."""
    found = []
    for block in blocks(doc):
        found.append(block)
        if (
            isinstance(block, Paragraph)
            and block._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        ):
            break
    return found


def test_page_one_names_the_team_date_version_contributors_and_status(doc):
    assert headings(doc, "Title") == [LABELS_EN["document_title"]]
    assert headings(doc, "Subtitle") == [EXAMPLE_PLAN["team"]]
    texts = [p.text for p in doc.paragraphs]
    assert (
        f"{LABELS_EN['date']}: {EXAMPLE_PLAN['date']} · {LABELS_EN['tree_version']}: 2026.1 · "
        f"{LABELS_EN['status']}: {LABELS_EN['final']}" in texts
    )
    assert f"{LABELS_EN['contributors']}: {'; '.join(EXAMPLE_PLAN['contributors'])}" in texts


def test_summary_table_is_the_first_table_with_every_descriptor_grouped_by_domain(doc):
    first = doc.tables[0]
    rows = table_texts(first)
    assert rows[0] == STATUS_HEADER
    expected = [
        [domain["title"], d["title"], LABELS_EN[d["status"]]]
        for domain in EXAMPLE_PLAN["domains"]
        for d in domain["descriptors"]
    ]
    got = [[row[0].split("\n")[0], row[1], row[2]] for row in rows[1:]]
    assert got == expected
    assert len(got) == 12
    for tr, descriptor in zip(first.rows[1:], DESCRIPTORS, strict=True):
        shd = tr.cells[2]._tc.tcPr.find(qn("w:shd"))
        assert shd.get(qn("w:fill")) == STATUS_FILLS[descriptor["status"]]
    # the domain cell spans its descriptors' rows (a vertical merge Word can edit)
    merges = [tr.cells[0]._tc.tcPr.find(qn("w:vMerge")) for tr in first.rows[1:]]
    assert merges[0].get(qn("w:val")) == "restart"
    assert rows[-1][0] == f"Outcomes and sustainability\n{LABELS_EN['outside_definition']}"


def test_page_one_holds_the_result_the_status_table_and_the_priorities(doc):
    summary = page_one(doc)
    tables = [b for b in summary if isinstance(b, Table)]
    assert len(tables) == 1 and table_texts(tables[0])[0] == STATUS_HEADER
    texts = [b.text for b in summary if isinstance(b, Paragraph)]
    result = EXAMPLE_PLAN["classification"]
    assert f"{LABELS_EN['result']}: {result['title']}" in texts
    assert result["summary"] in texts
    assert " ".join([result["standing"], *result["to_reach"]]) in texts
    assert LABELS_EN["priorities"] in texts
    numbered = [b for b in summary if isinstance(b, Paragraph) and b.style.name == "List Number"]
    assert len(numbered) == len(EXAMPLE_PLAN["priorities"]) == 5
    for paragraph, item in zip(numbered, EXAMPLE_PLAN["priorities"], strict=True):
        assert paragraph.runs[0].text == item["title"]
        assert paragraph.runs[0].style.name == "Strong"
        priority = LABELS_EN[f"priority_{item['priority']}"]
        assert paragraph.text == (
            f"{item['title']} – {LABELS_EN[item['status']]}. {priority}. {item['text']}"
        )


def test_priorities_list_the_definitional_gaps_first(doc):
    numbered = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    kinds = [
        next(k for k in PRIORITY_ORDER if LABELS_EN[f"priority_{k}"] in text) for text in numbered
    ]
    assert kinds == sorted(kinds, key=PRIORITY_ORDER.index)
    assert kinds[0] == "definition"


def test_every_descriptor_to_act_on_has_an_action_table_ordered_by_priority(doc):
    tables = action_tables(doc)
    ranked = sorted(TO_ACT_ON, key=lambda d: PRIORITY_ORDER.index(d["priority"]))
    assert [heading for heading, _ in tables] == [status_heading(d) for d in ranked]
    for descriptor, (_, table) in zip(ranked, tables, strict=True):
        rows = table_texts(table)
        priority = LABELS_EN[f"priority_{descriptor['priority']}"]
        for action, row in zip(descriptor["actions"], rows[1:], strict=False):
            assert row[0] == f"{action['text']} ({LABELS_EN['suggested_from']}: {action['source']})"
            assert row[1] == priority
        blank = [row for row in rows[1:] if not any(cell.strip() for cell in row)]
        assert len(blank) >= 1
        assert len(rows) == 1 + len(descriptor["actions"]) + len(blank)


def test_action_tables_repeat_their_header_and_blank_rows_never_stand_alone(doc):
    for _, table in action_tables(doc):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.rows[-1].height >= Mm(10)
        before_blank = table.rows[-2]
        assert all(
            p.paragraph_format.keep_with_next for c in before_blank.cells for p in c.paragraphs
        )
        assert table.rows[-1]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_each_finding_is_printed_once(doc):
    texts = [p.text for p in doc.paragraphs] + [
        cell.text for t in doc.tables for row in t.rows for cell in row.cells
    ]
    for descriptor in DESCRIPTORS:
        if descriptor["because"]:
            found = [t for t in texts if descriptor["because"] in t]
            assert len(found) == 1, (descriptor["id"], found)


def test_no_heading_appears_twice(doc):
    found = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert len(found) == len(set(found)), [h for h in found if found.count(h) > 1]


def test_met_descriptors_are_short_strengths(doc):
    strengths = [
        p.text
        for p in doc.paragraphs
        if p.style.name == "List Bullet" and p.runs and p.runs[0].style.name == "Strong"
    ]
    met = [d for d in DESCRIPTORS if d["status"] == "met"]
    assert strengths == [f"{d['title']}: {d['because']}" for d in met]
    headings_before_tables = {heading for heading, _ in action_tables(doc)}
    for descriptor in met:
        if not descriptor["actions"]:
            assert status_heading(descriptor) not in headings_before_tables


def test_answers_are_one_compact_table_per_domain_with_a_row_for_each_descriptor(doc):
    answer_tables = [
        t for t in doc.tables if table_texts(t)[0] == [LABELS_EN["question"], LABELS_EN["answer"]]
    ]
    answered = [d for d in EXAMPLE_PLAN["domains"] if any(x["answers"] for x in d["descriptors"])]
    assert len(answer_tables) == len(answered) + 1  # and the recorded practice
    for domain, table in zip(answered, answer_tables, strict=False):
        rows = table_texts(table)
        for descriptor in domain["descriptors"]:
            if not descriptor["answers"]:
                continue
            band = rows.index([status_heading(descriptor)] * 2)  # one merged cell
            for offset, answer in enumerate(descriptor["answers"], start=1):
                question, cell = rows[band + offset]
                assert question == answer["question"]
                expected = answer["answer"]
                if answer["note"]:
                    expected += f"\n{LABELS_EN['your_notes']}: {answer['note']}"
                assert cell == expected


def test_recorded_practice_is_shown_under_its_own_heading(doc):
    practice = EXAMPLE_PLAN["recorded_practice"]
    assert practice["title"] in headings(doc, "Heading 2")
    cells = {cell for table in doc.tables for row in table_texts(table) for cell in row}
    for answer in practice["answers"]:
        assert answer["question"] in cells


def test_unfinished_audit_is_marked_as_a_draft_in_progress():
    plan = example_plan()
    plan["draft"] = True
    plan["classification"] = None
    doc = open_docx(build_action_plan(plan))
    texts = [p.text for p in doc.paragraphs]
    assert LABELS_EN["in_progress"] in texts
    assert LABELS_EN["where_you_stand"] in headings(doc, "Heading 1")
    title = doc.paragraphs[0]
    assert title.text == f"{LABELS_EN['document_title']}\n{LABELS_EN['draft']}"
    assert title.runs[-1].style.name == "Intense Reference"
    assert f"{LABELS_EN['status']}: {LABELS_EN['draft']}" in texts[2]
    footer = doc.sections[0].footer.paragraphs[0].text
    assert LABELS_EN["draft"] in footer.split(" – ")
    assert doc.core_properties.content_status == LABELS_EN["draft"]
    assert table_texts(doc.tables[0])[0] == STATUS_HEADER


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


def test_the_next_steps_stay_together_on_one_page(doc):
    """Each line keeps with the next, so the last is never left alone on a page of its own."""
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == LABELS_EN["next_steps"])
    rerun = LABELS_EN["how_to_rerun"].split("\n\n")[-1].strip()
    end = next(i for i, p in enumerate(paragraphs) if i > start and p.text == rerun)
    block = paragraphs[start : end + 1]
    assert len(block) > 3
    assert all(p.paragraph_format.keep_with_next for p in block[:-1])
    assert not block[-1].paragraph_format.keep_with_next


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


def test_pages_are_a4_with_the_action_plan_in_one_landscape_section(doc):
    sections = doc.sections
    for section in sections:
        size = {round(section.page_width.mm), round(section.page_height.mm)}
        assert size == {210, 297}
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        assert (section.page_width > section.page_height) is landscape
    orientations = [s.orientation for s in sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]

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


def test_every_page_has_the_footer(doc):
    assert not any(s.different_first_page_header_footer for s in doc.sections)
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
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number"} <= used
    cell_styles = {
        p.style.name for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
    }
    assert cell_styles == {"Table Text"}


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
    titles.add(plan["recorded_practice"]["title"])
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
    plan["classification"]["to_reach"].append(HOSTILE)
    plan["next_steps"].append(HOSTILE)
    plan["glossary"].append({"term": HOSTILE, "definition": HOSTILE})
    plan["sources"].append(HOSTILE)
    plan["recorded_practice"]["answers"].append(
        {"question": HOSTILE, "answer": HOSTILE, "note": long_note}
    )
    plan["priorities"].append({"id": "x", "title": HOSTILE, "status": HOSTILE, "text": HOSTILE})
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
