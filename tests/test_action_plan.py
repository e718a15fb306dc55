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
    LABELS_EN[k]
    for k in ("action", "done_when", "lead", "by_when", "support_needed", "action_status")
]
STATUS_HEADER = [LABELS_EN[k] for k in ("domain", "descriptor", "status")]
PRIORITY_ORDER = ("definition", "specialised", "strengthen")
TO_ACT_ON = sorted(
    (d for d in DESCRIPTORS if d["priority"]), key=lambda d: PRIORITY_ORDER.index(d["priority"])
)


def action_tables(doc) -> list[tuple[str, Table]]:
    """Return each action table with the text of the heading just before it."""
    found, last_heading = [], None
    for block in blocks(doc):
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            last_heading = block.text
        elif isinstance(block, Table) and table_texts(block)[0] == ACTION_HEADER:
            found.append((last_heading, block))
    return found


def table_heading(descriptor: dict, labels: dict = LABELS_EN) -> str:
    """A descriptor's table heading: its title, status and priority."""
    priority = labels[f"priority_{descriptor['priority']}"]
    return f"{descriptor['title']} – {labels[descriptor['status']]} – {priority}"


def band(descriptor: dict, labels: dict = LABELS_EN) -> str:
    return f"{descriptor['title']} – {labels[descriptor['status']]}"


def page_one(doc) -> list:
    """The blocks before the first section break: the one-page brief."""
    found = []
    for block in blocks(doc):
        found.append(block)
        if (
            isinstance(block, Paragraph)
            and block._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        ):
            break
    return found


def test_page_one_names_the_team_the_audits_finish_version_and_contributors(doc):
    assert headings(doc, "Title") == [LABELS_EN["document_title"]]
    assert headings(doc, "Subtitle") == [EXAMPLE_PLAN["team"]]
    texts = [p.text for p in doc.paragraphs]
    assert (
        f"{LABELS_EN['date']}: {EXAMPLE_PLAN['date']} · {LABELS_EN['tree_version']}: 2026.1"
        in texts
    )
    assert f"{LABELS_EN['contributors']}: {'; '.join(EXAMPLE_PLAN['contributors'])}" in texts
    assert not any("Final" in text for text in all_texts(doc))  # not approved until signed


def test_page_one_is_a_brief_result_first_steps_commissioners_and_sign_off(doc):
    summary = page_one(doc)
    texts = [b.text for b in summary if isinstance(b, Paragraph)]
    result = EXAMPLE_PLAN["classification"]
    assert f"{LABELS_EN['result']}: {result['title']}" in texts
    assert result["summary"] in texts
    assert result["flags"][0] in texts
    assert " ".join([result["standing"], *result["to_reach"]]) in texts
    tables = [table_texts(b) for b in summary if isinstance(b, Table)]
    first, sign_off = tables
    assert first[0] == [LABELS_EN[k] for k in ("action", "lead", "by_when", "support_needed")]
    # The first step of each of the three most pressing descriptors, lead, date and support blank.
    expected = [f"{d['title']}: {d['actions'][0]['text']}" for d in TO_ACT_ON[:3]]
    assert [row[0] for row in first[1:]] == expected
    assert all(cell == "" for row in first[1:] for cell in row[1:])
    assert LABELS_EN["commissioners"] in texts
    asks = [d["text"] for x in TO_ACT_ON for d in x["actions"] if d["commissioners"]]
    assert asks and all(ask in texts for ask in asks)
    assert sign_off[0] == [LABELS_EN[k] for k in ("role", "name", "signature", "sign_date")]
    assert [row[0] for row in sign_off[1:]] == [
        LABELS_EN["clinical_lead"],
        LABELS_EN["service_manager"],
        LABELS_EN["commissioner"],
    ]


def test_a_plan_with_nothing_for_commissioners_says_so():
    plan = example_plan()
    for descriptor in (d for domain in plan["domains"] for d in domain["descriptors"]):
        for action in descriptor["actions"]:
            action["commissioners"] = False
    doc = open_docx(build_action_plan(plan))
    assert LABELS_EN["commissioners_none"] in [p.text for p in doc.paragraphs]


def test_the_status_table_opens_the_action_plan_with_every_descriptor_by_domain(doc):
    status = next(t for t in doc.tables if table_texts(t)[0] == STATUS_HEADER)
    rows = table_texts(status)
    expected = [
        [domain["title"], d["title"], LABELS_EN[d["status"]]]
        for domain in EXAMPLE_PLAN["domains"]
        for d in domain["descriptors"]
    ]
    assert [[row[0].split("\n")[0], row[1], row[2]] for row in rows[1:]] == expected
    assert len(expected) == 12
    for tr, descriptor in zip(status.rows[1:], DESCRIPTORS, strict=True):
        shd = tr.cells[2]._tc.tcPr.find(qn("w:shd"))
        assert shd.get(qn("w:fill")) == STATUS_FILLS[descriptor["status"]]
    merges = [tr.cells[0]._tc.tcPr.find(qn("w:vMerge")) for tr in status.rows[1:]]
    assert merges[0].get(qn("w:val")) == "restart"
    assert rows[-1][0] == f"Outcomes and sustainability\n{LABELS_EN['outside_definition']}"


def test_every_descriptor_to_act_on_has_a_table_with_its_priority_in_the_heading(doc):
    tables = action_tables(doc)
    assert [heading for heading, _ in tables] == [table_heading(d) for d in TO_ACT_ON]
    for descriptor, (_, table) in zip(TO_ACT_ON, tables, strict=True):
        rows = table_texts(table)
        assert len(rows[0]) == 6 and LABELS_EN["priority_definition"] not in rows[0]
        for action, row in zip(descriptor["actions"], rows[1:], strict=False):
            lines = row[0].split("\n")
            assert (
                lines[0] == f"{action['text']} ({LABELS_EN['suggested_from']}: {action['source']})"
            )
            assert lines[1:] == [f"{LABELS_EN['your_note']}: {note}" for note in action["notes"]]
            assert row[1] == action["done_when"]
            assert row[2:5] == ["", "", ""]
            assert row[5] == LABELS_EN["not_started"]
        blank = [row for row in rows[1:] if not any(cell.strip() for cell in row)]
        assert len(blank) == 1
        assert len(rows) == 1 + len(descriptor["actions"]) + 1


def test_the_teams_note_stands_beside_the_action_it_bears_on(doc):
    _, table = next((h, t) for h, t in action_tables(doc) if h.startswith("Age range up to two"))
    note = "The contract with the ICB says under-ones."
    rows = table_texts(table)
    assert note in rows[1][0] and "extend the age range" in rows[1][0]
    assert all(note not in row[0] for row in rows[2:])


def test_action_tables_repeat_their_header_and_blank_rows_never_stand_alone(doc):
    for _, table in action_tables(doc):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.rows[-1].height >= Mm(8)
        before_blank = table.rows[-2]
        assert all(
            p.paragraph_format.keep_with_next for c in before_blank.cells for p in c.paragraphs
        )
        assert table.rows[-1]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_each_finding_is_printed_once_and_only_where_there_is_something_to_do(doc):
    texts = [p.text for p in doc.paragraphs] + [
        cell.text for t in doc.tables for row in t.rows for cell in row.cells
    ]
    for descriptor in DESCRIPTORS:
        if not descriptor["because"]:
            continue
        found = [t for t in texts if descriptor["because"] in t]
        assert len(found) == (1 if descriptor["priority"] else 0), (descriptor["id"], found)


def test_no_heading_appears_twice(doc):
    found = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert len(found) == len(set(found)), [h for h in found if found.count(h) > 1]


def test_answers_are_printed_only_for_descriptors_with_a_gap(doc):
    answer_tables = [
        t for t in doc.tables if table_texts(t)[0] == [LABELS_EN["question"], LABELS_EN["answer"]]
    ]
    gaps = [d for d in DESCRIPTORS if d["answers"]]
    assert gaps and all(d["status"] in ("partly_met", "not_met") for d in gaps)
    assert len(answer_tables) == 2  # the gaps', and the recorded practice
    rows = table_texts(answer_tables[0])
    bands = [row[0] for row in rows if row[0] == row[-1] and " – " in row[0]]
    assert bands == [band(d) for d in gaps]
    for descriptor in gaps:
        start = rows.index([band(descriptor)] * 2)  # one merged cell
        for offset, answer in enumerate(descriptor["answers"], start=1):
            question, cell = rows[start + offset]
            assert question == answer["question"]
            expected = answer["answer"]
            if answer["note"]:
                expected += f"\n{LABELS_EN['your_notes']}: {answer['note']}"
            assert cell == expected


def test_recorded_practice_is_shown_under_its_own_heading(doc):
    practice = EXAMPLE_PLAN["recorded_practice"]
    assert practice["title"] in headings(doc, "Heading 2")
    assert practice["note"] not in [p.text for p in doc.paragraphs]  # web-page wording
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
    assert f"{LABELS_EN['draft_date']}: {plan['date']}" in texts[2]
    footer = doc.sections[0].footer.paragraphs[0].text
    assert LABELS_EN["draft"] in footer.split(" – ")
    assert doc.core_properties.content_status == LABELS_EN["draft"]


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


def test_glossary_is_a_two_column_table_and_sources_one_paragraph_under_its_heading(doc):
    glossary = next(t for t in doc.tables if table_texts(t)[0][0] == "WTE (whole-time equivalent)")
    assert table_texts(glossary) == [[g["term"], g["definition"]] for g in EXAMPLE_PLAN["glossary"]]
    paragraphs = doc.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == LABELS_EN["sources"])
    assert paragraphs[at].paragraph_format.keep_with_next
    assert paragraphs[at + 1].text == "; ".join(EXAMPLE_PLAN["sources"])


def test_next_steps_come_under_the_last_table_and_stay_together(doc):
    order = [b for b in blocks(doc)]
    last_table = max(
        i
        for i, b in enumerate(order)
        if isinstance(b, Table) and table_texts(b)[0] == ACTION_HEADER
    )
    start = next(
        i
        for i, b in enumerate(order)
        if isinstance(b, Paragraph) and b.text == LABELS_EN["next_steps"]
    )
    assert start == last_table + 1
    texts = [p.text for p in doc.paragraphs]
    for step in EXAMPLE_PLAN["next_steps"]:
        assert step in texts
    block = order[start : start + len(EXAMPLE_PLAN["next_steps"]) + 2]
    assert block[-1].text == f"{LABELS_EN['review_date']}: {LABELS_EN['review_date_blank']}"
    assert all(p.paragraph_format.keep_with_next for p in block[:-1])


def test_document_properties_are_set(doc):
    props = doc.core_properties
    assert props.title == LABELS_EN["document_title"]
    assert props.subject == EXAMPLE_PLAN["team"]
    assert props.author == LABELS_EN["creator"]
    assert props.last_modified_by == LABELS_EN["creator"]
    assert props.created == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    assert props.language == "en-GB"
    assert props.content_status == ""  # not "Final": the sign-off box says who agreed it
    assert "python-docx" not in props.comments


def test_pages_are_a4_page_one_portrait_and_the_rest_one_landscape_section(doc):
    sections = doc.sections
    for section in sections:
        size = {round(section.page_width.mm), round(section.page_height.mm)}
        assert size == {210, 297}
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        assert (section.page_width > section.page_height) is landscape
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert len(action_tables(doc)) == len(TO_ACT_ON)


def test_a_plan_with_nothing_to_act_on_stays_portrait_and_still_closes_with_next_steps():
    plan = example_plan()
    for descriptor in (d for domain in plan["domains"] for d in domain["descriptors"]):
        descriptor.update(status="met", priority=None, actions=[], answers=[])
    doc = open_docx(build_action_plan(plan))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.PORTRAIT]
    assert not action_tables(doc)
    assert LABELS_EN["first_steps"] not in headings(doc, "Heading 2")
    assert LABELS_EN["next_steps"] in headings(doc, "Heading 1")


def test_a_re_audit_opens_with_the_movement_and_lists_last_times_actions():
    plan = example_plan()
    plan["movement"] = {
        "summary": "Moved forward since your last audit (November 2025): 3 → 5 of 10 "
        "descriptors of the definition met. Result: Not yet meeting the definition, as last time."
    }
    plan["last_time_actions"] = [
        {
            "descriptor": "Clinical leadership",
            "text": "Write the lead's job description.",
            "again": False,
        },
        {
            "descriptor": "Age range up to two",
            "text": "Ask commissioners to extend the age range.",
            "again": True,
        },
    ]
    descriptor = plan["domains"][0]["descriptors"][2]
    descriptor.update(last_time="Partly met", moved="forward")
    doc = open_docx(build_action_plan(plan))
    first = [b for b in page_one(doc) if isinstance(b, Paragraph) and b.text.strip()]
    assert first[4].text == plan["movement"]["summary"]  # after title, team, date, contributors
    status = next(t for t in doc.tables if table_texts(t)[0][:3] == STATUS_HEADER)
    assert table_texts(status)[0][3] == LABELS_EN["last_time"]
    row = next(r for r in table_texts(status) if r[1] == descriptor["title"])
    assert row[3] == f"Partly met – {LABELS_EN['moved_forward']}"
    last = next(t for t in doc.tables if table_texts(t)[0][-1] == LABELS_EN["done_or_carried"])
    assert table_texts(last)[1:] == [
        ["Clinical leadership", "Write the lead's job description.", "", ""],
        ["Age range up to two", "Ask commissioners to extend the age range.", "✓", ""],
    ]


def test_every_page_has_the_footer_with_the_plans_date(doc):
    assert not any(s.different_first_page_header_footer for s in doc.sections)
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith(
        f"{LABELS_EN['document_title']} – {EXAMPLE_PLAN['team']} – {EXAMPLE_PLAN['date']}"
    )
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
    assert {"Title", "Heading 1", "Heading 2", "List Bullet"} <= used
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
        "",
        "cy-GB",
    )
    lang = doc.styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "cy-GB"


def test_a_missing_label_is_reported_by_name():
    plan = example_plan()
    del plan["labels"]["done_when"]
    with pytest.raises(ValueError, match="done_when"):
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
    plan["last_time_actions"].append({"descriptor": HOSTILE, "text": HOSTILE, "again": True})
    plan["movement"] = {"summary": HOSTILE}
    for domain in plan["domains"]:
        domain["title"] += HOSTILE
        domain["note"] = HOSTILE
        for descriptor in domain["descriptors"]:
            descriptor["statement"] += HOSTILE
            descriptor["because"] = HOSTILE
            descriptor["answers"].append({"question": HOSTILE, "answer": "\r\n", "note": long_note})
            descriptor["actions"].append(
                {"text": HOSTILE * 50, "source": HOSTILE, "done_when": HOSTILE, "notes": [HOSTILE]}
            )
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
