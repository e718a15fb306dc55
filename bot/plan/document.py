"""Build the service-development action plan as a Word document.

`build_action_plan(plan)` takes a plain dict and returns the bytes of a .docx. The web layer
builds the dict in the user's language (English or Welsh), so every string in it is already
translated: this module adds no words of its own, only punctuation (": " and " – "), digits
and the document's structure. It imports no Flask and no gettext.

The document uses Word's built-in styles by name (Title, Subtitle, Heading 1 to 3, List Bullet,
List Number, Quote, the Strong and Emphasis character styles, Table Grid), so headings show
in the navigation pane and a team can restyle the whole plan by changing a style. Pages are
A4. Every string is cleaned of characters XML cannot hold before it reaches python-docx.

The shape, for a manager who reads only page one and a team that works from the rest:

1. Page one, the summary: title, team, date and contributors; the result in plain words;
   a status table of every descriptor grouped by domain (shaded cells, real table rows, so
   it stays editable); the three to five priorities, gaps in the definition first.
2. The action plan, in one landscape section: a table for each descriptor with something to
   act on, ordered by priority, each row saying whether it is needed to meet the definition
   or strengthens the team, with blank rows for the team's own actions.
3. Next steps and strengths (short), then the appendix: the answers behind each descriptor as
   one compact table per domain, the optional block as recorded practice, terms and sources.

Each finding (a descriptor's "because") is printed once: in the priorities when it is one,
otherwise over its action table, or in the strengths when the descriptor is met.

The plan dict::

    {
      "language": "en" | "cy",            # document language (en-GB or cy-GB)
      "labels": {...},                    # every fixed word in the document, see LABELS
      "team": str,                        # team name, as typed
      "date": str,                        # date already formatted for the locale
      "date_iso": "2026-11-22",           # the same date, for the document properties
      "tree_version": str,                # audit (question tree) version
      "contributors": [str],              # who contributed, one a line
      "draft": bool,                      # True while the audit is unfinished
      "classification": None | {          # None while the audit is unfinished
          "title": str, "summary": str,
          "standing": str,                # how much of the definition is met
          "to_reach": [str],              # what would change the result, sentences
      },
      "priorities": [{                    # at most five, most pressing first
          "id": str, "title": str, "status": str, "priority": str, "text": str,
      }],
      "movement": None | {                # "Since your last audit"; None on a first audit
          "heading": str, "summary": str,     # the classification then and now
          "table_heading": str, "columns": [str, str, str],
          "rows": [{"descriptor": str, "before": str, "after": str,
                    "direction": "improved" | "worsened"}],
          "none_moved": str,              # said when nothing moved, else ""
      },
      "domains": [{
          "id": str, "title": str, "note": str,
          "definitional": bool,           # False: audited, but not part of the definition
          "descriptors": [{
              "id": str, "title": str, "statement": str,
              "status": "met" | "partly_met" | "not_met" | "not_answered",
              "because": str,             # the finding: why it has that status
              "priority": "definition" | "specialised" | "strengthen" | None,
              "answers": [{"question": str, "answer": str, "note": str}],
              "evidence": [str],          # what evidence would show it
              "actions": [{"text": str, "source": str}],  # chosen by the answers
          }],
      }],
      "recorded_practice": {"title": str, "note": str,  # the optional block
                            "answers": [{"question": str, "answer": str, "note": str}]},
      "next_steps": [str],                # paragraphs
      "glossary": [{"term": str, "definition": str}],
      "sources": [str],                   # toolkit chapters referred to
    }

Missing keys other than labels are read as empty. A missing label raises ValueError, so a
forgotten translation fails loudly in tests instead of leaving a hole in the document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.plan import word_xml
from bot.plan.word_xml import clean_text

#: Every label the plan dict must carry, with the English wording it stands for.
LABELS: dict[str, str] = {
    "document_title": "Service development action plan (Title, document properties, footer)",
    "draft": "Draft (under the title, footer, document status property)",
    "final": "Final (details line, document status property)",
    "date": "Date (details line)",
    "tree_version": "Audit version (details line)",
    "contributors": "Who contributed (details line)",
    "status": "Status (details line; status table column)",
    "result": "Result (Heading 1 of page one, before the result's title)",
    "where_you_stand": "Where you stand (Heading 1 of page one while there is no result)",
    "in_progress": "Not finished yet (shown when there is no classification)",
    "domain": "Domain (status table column)",
    "descriptor": "Descriptor (status table column)",
    "met": "Met (status word)",
    "partly_met": "Partly met (status word)",
    "not_met": "Not met (status word)",
    "not_answered": "Not answered (status word)",
    "outside_definition": "Not part of the definition (status table, answers appendix)",
    "priorities": "Priorities (Heading 2 on page one)",
    "priority": "Priority (action table column)",
    "priority_definition": "Needed to meet the definition (priority)",
    "priority_specialised": "Needed to be a specialised team (priority, targeted findings)",
    "priority_strengthen": "Strengthens the team (priority)",
    "actions_heading": "Action plan (Heading 1 of the landscape section)",
    "own_actions_hint": "Add your own actions in the blank rows. (under actions_heading)",
    "statement": "What the definition asks (before a descriptor's statement)",
    "evidence_needed": "Evidence that would show it is met (before a list)",
    "action": "Action (action table column)",
    "lead": "Lead (action table column)",
    "by_when": "By when (action table column)",
    "support_needed": "Support needed (action table column)",
    "progress": "Progress (action table column)",
    "suggested_from": "From (before a suggested action's toolkit chapter)",
    "next_steps": "Next steps (Heading 1)",
    "review_date": "Review date (next steps)",
    "review_date_blank": "____________ (space to write the review date)",
    "how_to_rerun": "How to run the audit again (paragraphs; blank lines split them)",
    "strengths": "Strengths (Heading 1: met descriptors)",
    "appendix": "Appendix: your answers (Heading 1)",
    "question": "Question (answers table column)",
    "answer": "Your answer (answers table column)",
    "your_notes": "Your notes (answers table column)",
    "glossary": "Terms used (Heading 2)",
    "sources": "Sources referred to: toolkit chapters and the self-audit page (Heading 2)",
    "creator": "Parent-infant team self-audit (author and last-modified-by properties)",
}

STATUSES = ("met", "partly_met", "not_met", "not_answered")
#: Cell fills for the at-a-glance status cells. All keep a contrast ratio above 12:1 with
#: black text; the status word is always written in the cell as well.
STATUS_FILLS = {
    "met": "C6EFCE",
    "partly_met": "FFEB9C",
    "not_met": "FFC7CE",
    "not_answered": "E7E6E6",
}
#: Priorities, most pressing first, and the label each is shown with.
PRIORITIES = {
    "definition": "priority_definition",
    "specialised": "priority_specialised",
    "strengthen": "priority_strengthen",
}

TABLE_STYLE = "Table Grid"
#: Paragraph style of every table cell: a size smaller than body text, no space after.
CELL_STYLE = "Table Text"
HEADER_FILL = "DCE6F2"
_LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB"}

_A4_SHORT, _A4_LONG = Mm(210), Mm(297)
_MARGIN = Mm(20)
_PORTRAIT_WIDTH_MM = 210 - 40
_LANDSCAPE_WIDTH_MM = 297 - 40
# Action, Priority, Lead, By when, Support needed, Progress
_ACTION_WIDTHS_MM = (99, 30, 30, 24, 37, 37)
_ANSWER_WIDTHS_MM = (96, 74)  # Question, Your answer (and notes)
_STATUS_WIDTHS_MM = (52, 84, 34)  # Domain, Descriptor, Status
_BLANK_ACTION_ROWS = 1
_BLANK_ROW_HEIGHT = Mm(10)
_KEEP_ROW_TOGETHER_CHARS = 800  # longer rows may split across pages

_FOOTER_TEAM_CHARS = 60  # a long team name must not fill every page's footer
_CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties


def build_action_plan(plan: Mapping[str, Any]) -> bytes:
    """Build the action plan .docx for `plan` (see the module docstring) and return its bytes."""
    return _PlanWriter(plan).build()


class _PlanWriter:
    def __init__(self, plan: Mapping[str, Any]) -> None:
        self.plan = plan
        labels = plan.get("labels") or {}
        missing = [key for key in LABELS if key not in labels]
        if missing:
            raise ValueError(f"action plan labels missing: {', '.join(missing)}")
        self.labels = {key: clean_text(value) for key, value in labels.items()}
        self.doc: DocxDocument = Document()
        self.fresh_page = True  # nothing yet on the current page: no page break needed

    def build(self) -> bytes:
        _ensure_styles(self.doc)
        _drop_unused_table_styles(self.doc)
        self._set_up_document()
        self._summary_page()
        self._action_plan()
        self._appendix()
        word_xml.style_cell_paragraphs(self.doc, self.doc.styles[CELL_STYLE].style_id)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # -- building blocks ------------------------------------------------------------------

    def text(self, key: str) -> str:
        return clean_text(self.plan.get(key))

    def status_word(self, status: str) -> str:
        return self.labels[status if status in STATUSES else "not_answered"]

    def heading(self, text: str, level: int, new_page: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph(clean_text(text), style=f"Heading {level}")
        if new_page and not self.fresh_page:
            paragraph.paragraph_format.page_break_before = True
        self.fresh_page = False
        return paragraph

    def para(self, text: Any = "", style: str | None = None) -> Paragraph:
        self.fresh_page = False
        return self.doc.add_paragraph(clean_text(text), style=style)

    def paragraphs(self, texts: Iterable[Any], style: str | None = None) -> list[Paragraph]:
        return [self.para(text, style) for text in texts if clean_text(text).strip()]

    def bullets(self, items: Iterable[Any]) -> None:
        self.paragraphs(items, "List Bullet")

    def labelled(self, label: str, value: str) -> Paragraph:
        paragraph = self.para()
        paragraph.add_run(clean_text(label), style="Strong")
        paragraph.add_run(": " + clean_text(value))
        return paragraph

    def section(self, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape)
        self.fresh_page = True

    def table(self, header: Sequence[str] | None, widths_mm: Sequence[float]) -> Table:
        self.fresh_page = False
        table = self.doc.add_table(rows=0, cols=len(widths_mm))
        table.style = TABLE_STYLE
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        word_xml.set_column_widths(table, widths_mm)
        word_xml.table_look(table, header_row=header is not None)
        if header is not None:
            cells = self.row(table, [])
            for cell, text in zip(cells, header, strict=True):
                word_xml.write_cell(cell, text, char_style="Strong")
                word_xml.shade(cell, HEADER_FILL)
            word_xml.repeat_as_header(table.rows[0])
        return table

    def row(self, table: Table, texts: Sequence[Any], keep_together: bool = True) -> list[_Cell]:
        row = table.add_row()  # python-docx gives each new cell its grid column's width
        for cell, text in zip(row.cells, texts, strict=False):
            word_xml.write_cell(cell, text)
        if keep_together and sum(len(clean_text(t)) for t in texts) < _KEEP_ROW_TOGETHER_CHARS:
            word_xml.cant_split(row)
        return list(row.cells)

    # -- document parts ---------------------------------------------------------------------

    def _set_up_document(self) -> None:
        doc, labels = self.doc, self.labels
        language = _LANGUAGE_TAGS.get(self.text("language"), self.text("language")) or "en-GB"
        word_xml.set_default_language(doc, language)
        word_xml.drop_template_thumbnail(doc)
        first = doc.sections[0]
        _page_setup(first, landscape=False)
        first.different_first_page_header_footer = False
        footer = first.footer.paragraphs[0]
        footer.style = "Footer"
        parts = [labels["document_title"], _shorten(self.text("team"), _FOOTER_TEAM_CHARS)]
        if self.plan.get("draft"):
            parts.append(labels["draft"])
        footer.add_run(" – ".join(part for part in parts if part) + " – ")
        word_xml.page_number_field(footer)

        props = doc.core_properties
        created = _parse_date(self.text("date_iso"))
        props.title = _core(labels["document_title"])
        props.subject = _core(self.text("team"))
        props.author = _core(labels["creator"] or self.text("team"))
        props.last_modified_by = props.author
        props.comments = ""
        props.keywords = _core(self.text("tree_version"))
        props.category = ""
        props.content_status = _core(labels["draft" if self.plan.get("draft") else "final"])
        props.language = _core(language)
        props.revision = 1
        props.created = created
        props.modified = created

    def descriptors(self) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        """Every (domain, descriptor) pair, in the tree's order."""
        return [
            (domain, descriptor)
            for domain in self.plan.get("domains") or []
            for descriptor in domain.get("descriptors") or []
        ]

    def priority_word(self, priority: Any) -> str:
        return self.labels[PRIORITIES.get(priority, "priority_strengthen")]

    # -- page one -----------------------------------------------------------------------------

    def _summary_page(self) -> None:
        """Page one: who, when, the result and why, every descriptor's status, the priorities."""
        labels = self.labels
        draft = bool(self.plan.get("draft"))
        title = self.para(labels["document_title"], "Title")
        if draft:  # large, in its own colour, under the title
            title.add_run().add_break()
            title.add_run(labels["draft"], style="Intense Reference")
        if self.text("team"):
            self.para(self.text("team"), "Subtitle")
        details = self.para()
        facts = [
            (labels["date"], self.text("date")),
            (labels["tree_version"], self.text("tree_version")),
            (labels["status"], labels["draft" if draft else "final"]),
        ]
        for index, (label, value) in enumerate(facts):
            details.add_run((" · " if index else "") + label, style="Strong")
            details.add_run(": " + value)
        contributors = [clean_text(c) for c in self.plan.get("contributors") or []]
        if any(c.strip() for c in contributors):
            self.labelled(labels["contributors"], "; ".join(c for c in contributors if c.strip()))

        result = self.plan.get("classification")
        if result:
            self.heading(f"{labels['result']}: {clean_text(result.get('title'))}", 1)
            self.paragraphs([result.get("summary")])
            self.paragraphs([" ".join([result.get("standing") or "", *result.get("to_reach", [])])])
        else:
            self.heading(labels["where_you_stand"], 1)
            self.para(labels["in_progress"], "Intense Quote")
        self._status_table()
        self._priorities()
        self._movement()

    def _movement(self) -> None:
        """Since the last audit: the classification then and now, and each descriptor moved."""
        movement = self.plan.get("movement")
        if not movement:
            return
        self.heading(clean_text(movement.get("heading")), 2)
        self.paragraphs([movement.get("summary")])
        rows = movement.get("rows") or []
        if rows:
            self.heading(clean_text(movement.get("table_heading")), 3)
            columns = [clean_text(c) for c in movement.get("columns") or ["", "", ""]]
            table = self.table(columns, (90, 40, 40))
            for row in rows:
                self.row(table, [row.get("descriptor"), row.get("before"), row.get("after")])
            word_xml.keep_together(table)
        self.paragraphs([movement.get("none_moved")])

    def _status_table(self) -> None:
        """Every descriptor's status, grouped by domain: the domain cell spans its rows."""
        labels = self.labels
        domains = [d for d in self.plan.get("domains") or [] if d.get("descriptors")]
        if not domains:
            return
        header = [labels["domain"], labels["descriptor"], labels["status"]]
        table = self.table(header, _STATUS_WIDTHS_MM)
        for domain in domains:
            first = len(table.rows)
            for descriptor in domain["descriptors"]:
                status = descriptor.get("status")
                cells = self.row(table, [])
                word_xml.write_cell(cells[1], descriptor.get("title"))
                word_xml.write_cell(cells[2], self.status_word(status), char_style="Strong")
                word_xml.shade(cells[2], STATUS_FILLS.get(status, STATUS_FILLS["not_answered"]))
            domain_cell = table.cell(first, 0)
            if len(table.rows) - 1 > first:
                domain_cell = domain_cell.merge(table.cell(len(table.rows) - 1, 0))
            word_xml.write_cell(domain_cell, domain.get("title"))
            if not domain.get("definitional", True):
                domain_cell.add_paragraph().add_run(labels["outside_definition"], style="Emphasis")
        word_xml.keep_together(table, always=True)
        self.para()

    def _priorities(self) -> None:
        priorities = [p for p in self.plan.get("priorities") or [] if clean_text(p.get("title"))]
        if not priorities:
            return
        self.heading(self.labels["priorities"], 2)
        for item in priorities:
            paragraph = self.para(style="List Number")
            paragraph.add_run(clean_text(item.get("title")), style="Strong")
            paragraph.add_run(f" – {self.status_word(item.get('status'))}. ")
            paragraph.add_run(self.priority_word(item.get("priority")), style="Emphasis")
            text = clean_text(item.get("text")).strip()
            if text:
                paragraph.add_run(f". {text}")

    # -- the action plan ----------------------------------------------------------------------

    def _action_plan(self) -> None:
        """One landscape section: a table per descriptor to act on, most pressing first."""
        labels = self.labels
        order = list(PRIORITIES)
        to_act_on = sorted(
            (d for _, d in self.descriptors() if d.get("priority") in PRIORITIES),
            key=lambda d: order.index(d["priority"]),
        )
        if not to_act_on:
            self._next_steps(new_page=True)
            self._strengths()
            return
        on_page_one = {p.get("id") for p in self.plan.get("priorities") or []}
        self.section(landscape=True)
        self.heading(labels["actions_heading"], 1)
        self.para(labels["own_actions_hint"])
        header = [
            labels[k]
            for k in ("action", "priority", "lead", "by_when", "support_needed", "progress")
        ]
        for descriptor in to_act_on:
            gap = descriptor.get("status") in ("partly_met", "not_met")
            title = clean_text(descriptor.get("title"))
            self.heading(f"{title} – {self.status_word(descriptor.get('status'))}", 2)
            lead_in = []
            because = clean_text(descriptor.get("because")).strip()
            if gap and because and descriptor.get("id") not in on_page_one:
                lead_in.append(self.para(because))
            if gap:
                statement = clean_text(descriptor.get("statement"))
                lead_in.append(self.labelled(labels["statement"], statement))
                evidence = [clean_text(e).strip() for e in descriptor.get("evidence") or []]
                if any(evidence):
                    lead_in.append(
                        self.labelled(labels["evidence_needed"], " ".join(e for e in evidence if e))
                    )
            for paragraph in lead_in:  # the finding stays on the page of its table
                paragraph.paragraph_format.keep_with_next = True
            self._action_table(header, descriptor)
        self._next_steps()  # "fill in the tables above": on the page of the last table
        self.section(landscape=False)
        self._strengths()

    def _action_table(self, header: list[str], descriptor: Mapping[str, Any]) -> None:
        labels = self.labels
        priority = self.priority_word(descriptor.get("priority"))
        table = self.table(header, _ACTION_WIDTHS_MM)
        for action in descriptor.get("actions") or []:
            text, source = clean_text(action.get("text")), clean_text(action.get("source"))
            cells = self.row(table, [text, priority], keep_together=len(text) + len(source) < 800)
            if source.strip():  # in the same paragraph: most sources then take no line of their own
                cells[0].paragraphs[0].add_run(
                    f" ({labels['suggested_from']}: {source})", style="Emphasis"
                )
        for _ in range(_BLANK_ACTION_ROWS):
            self.row(table, [])
            row = table.rows[-1]
            row.height = _BLANK_ROW_HEIGHT
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        # A table may break between rows (its header repeats), but never straight after the
        # header, and its blank rows stay with the last action: no page of only blank rows.
        word_xml.keep_row_with_next(table.rows[0])
        word_xml.keep_tail_together(table, _BLANK_ACTION_ROWS + 1)
        self.para()

    # -- after the action plan ----------------------------------------------------------------

    def _next_steps(self, new_page: bool = False) -> None:
        labels = self.labels
        block = [self.heading(labels["next_steps"], 1, new_page=new_page)]
        block += self.paragraphs(self.plan.get("next_steps") or [])
        block.append(self.labelled(labels["review_date"], labels["review_date_blank"]))
        block += self.paragraphs(re.split(r"\n\s*\n", labels["how_to_rerun"]))
        # A few lines that read as one: kept on one page, so none is left alone on the next.
        for paragraph in block[:-1]:
            paragraph.paragraph_format.keep_with_next = True

    def _strengths(self) -> None:
        met = [d for _, d in self.descriptors() if d.get("status") == "met"]
        if not met:
            return
        self.heading(self.labels["strengths"], 1)
        for descriptor in met:
            paragraph = self.para(style="List Bullet")
            paragraph.add_run(clean_text(descriptor.get("title")), style="Strong")
            because = clean_text(descriptor.get("because")).strip()
            if because:
                paragraph.add_run(f": {because}")

    def _appendix(self) -> None:
        labels = self.labels
        self.heading(labels["appendix"], 1)
        for domain in self.plan.get("domains") or []:
            descriptors = [d for d in domain.get("descriptors") or [] if d.get("answers")]
            if not descriptors:
                continue
            self.heading(clean_text(domain.get("title")), 2)
            if not domain.get("definitional", True):
                self.para(labels["outside_definition"], "Intense Quote")
            self._answers_table(descriptors)
        practice = self.plan.get("recorded_practice") or {}
        if practice.get("answers"):
            self.heading(clean_text(practice.get("title")), 2)
            self.paragraphs([practice.get("note")])
            self._answers_table([{"answers": practice["answers"]}])
        glossary = [g for g in self.plan.get("glossary") or [] if clean_text(g.get("term"))]
        if glossary:
            self.heading(labels["glossary"], 2)
            table = self.table(None, (45, _PORTRAIT_WIDTH_MM - 45))
            for entry in glossary:
                term_cell, definition_cell = self.row(table, [])
                word_xml.write_cell(term_cell, entry.get("term"), char_style="Strong")
                word_xml.write_cell(definition_cell, entry.get("definition"))
            self.para()
        sources = [s for s in self.plan.get("sources") or [] if clean_text(s).strip()]
        if sources:
            self.heading(labels["sources"], 2)
            self.bullets(sources)

    def _answers_table(self, groups: list[Mapping[str, Any]]) -> None:
        """One compact table: a shaded row naming each descriptor, then its answers.

        A note goes under its answer, in italics after "Your notes:", so the question has the
        width of the page and most rows take one or two lines.
        """
        labels = self.labels
        table = self.table([labels["question"], labels["answer"]], _ANSWER_WIDTHS_MM)
        for group in groups:
            if group.get("title"):
                cells = self.row(table, [])
                band = cells[0].merge(cells[-1])
                status = group.get("status")
                word_xml.write_cell(
                    band, f"{clean_text(group['title'])} – {self.status_word(status)}", "Strong"
                )
                word_xml.shade(band, STATUS_FILLS.get(status, STATUS_FILLS["not_answered"]))
                word_xml.keep_row_with_next(table.rows[-1])
            for answer in group.get("answers") or []:
                cells = self.row(table, [answer.get("question"), answer.get("answer")])
                note = clean_text(answer.get("note")).strip()
                if note:
                    paragraph = cells[1].add_paragraph()
                    paragraph.add_run(f"{labels['your_notes']}: ", style="Emphasis")
                    paragraph.add_run(note)
        self.para()  # keeps the next table or heading from touching this one


# -- python-docx and WordprocessingML helpers ------------------------------------------------

_READABLE_BLUE = RGBColor(0x1F, 0x4E, 0x79)  # 8.6:1 against white
_DARKEN = ("Subtitle", "Heading 2", "Heading 3", "Intense Quote")
_STYLES = {
    "Title": WD_STYLE_TYPE.PARAGRAPH,
    "Subtitle": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 1": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 2": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 3": WD_STYLE_TYPE.PARAGRAPH,
    "List Bullet": WD_STYLE_TYPE.PARAGRAPH,
    "List Number": WD_STYLE_TYPE.PARAGRAPH,
    "Quote": WD_STYLE_TYPE.PARAGRAPH,
    "Intense Quote": WD_STYLE_TYPE.PARAGRAPH,
    "Footer": WD_STYLE_TYPE.PARAGRAPH,
    "Strong": WD_STYLE_TYPE.CHARACTER,
    "Intense Reference": WD_STYLE_TYPE.CHARACTER,
    "Emphasis": WD_STYLE_TYPE.CHARACTER,
    TABLE_STYLE: WD_STYLE_TYPE.TABLE,
}


def _ensure_styles(doc: DocxDocument) -> None:
    """Make sure every style the plan names exists, adding a plain one where it does not."""
    names = {style.name for style in doc.styles}
    for name, kind in _STYLES.items():
        if name not in names:
            style = doc.styles.add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:
                style.base_style = doc.styles["Normal"]
            if name.startswith("Heading"):
                style.paragraph_format.keep_with_next = True
    # The template's light blue (accent 1, #4F81BD) is under 4:1 against white: too faint
    # for body-sized text. Darken it in the styles, where a team can still change it.
    for name in _DARKEN:
        doc.styles[name].font.color.rgb = _READABLE_BLUE
    # The template's 26 pt title takes two lines for a longer (Welsh) title: page one is full.
    doc.styles["Title"].font.size = Pt(22)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)  # the template's 10 pt is loose
    word_xml.pad_table_cells(doc.styles[TABLE_STYLE], Mm(0.6))
    if CELL_STYLE not in names:
        cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = doc.styles["Normal"]
        cell.font.size = Pt(9.5)
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.0


def _drop_unused_table_styles(doc: DocxDocument) -> None:
    """Delete the template's table styles the plan does not use (99 of its 164 styles).

    For each styled paragraph, run and table, python-docx finds the default style of its type
    by reading every style in the document: with them, tests/plan_fixtures.py's example plan
    took 1.7 times as long to build (1,015 against 604 ms of CPU, medians of 6 builds in turn,
    busy machine). Word and LibreOffice offer their own table styles whatever the file holds.
    """
    keep = {doc.styles.default(WD_STYLE_TYPE.TABLE).name}
    style = doc.styles[TABLE_STYLE]
    while style is not None:
        keep.add(style.name)
        style = style.base_style
    for style in list(doc.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            style.delete()


def _page_setup(section: Any, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (_A4_LONG, _A4_SHORT) if landscape else (_A4_SHORT, _A4_LONG)
    )
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)
    section.header_distance = section.footer_distance = Mm(10)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _core(text: str) -> str:
    return clean_text(text)[:_CORE_PROPERTY_LIMIT]


def _parse_date(iso: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(iso.strip())
    except ValueError:
        return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return dt.datetime(day.year, day.month, day.day, 12, 0)
