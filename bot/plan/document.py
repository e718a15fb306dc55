"""Build the service-development action plan as a Word document.

`build_action_plan(plan)` takes a plain dict and returns the bytes of a .docx. The web layer
builds the dict in the user's language (English or Welsh), so every string in it is already
translated: this module adds no words of its own, only punctuation (": " and " – "), digits
and the document's structure. It imports no Flask and no gettext.

The document uses Word's built-in styles by name (Title, Subtitle, Heading 1 to 3, List Bullet,
Quote, the Strong and Emphasis character styles, Table Grid), so headings show in the
navigation pane and a team can restyle the whole plan by changing a style. Pages are A4. Every
string is cleaned of characters XML cannot hold before it reaches python-docx.

The shape, for a clinical lead who puts page one in front of a commissioner and a team that
works through the tables all year:

1. Page one, a one-page brief: title, team, the date the audit finished and contributors; on
   a re-audit the movement in words ("Moved forward ...: 5 → 7 of 10 ... met"); the result and
   the count met; the first three steps with blank lead, date and support; what the team needs
   from its commissioners; a sign-off box.
2. The action plan, in one landscape section: every descriptor's status (and last time's, on
   a re-audit), last time's actions to mark done or carried over, then a table for each
   descriptor with something to act on, most pressing first, its priority in its heading: at
   most three steps, each with where it comes from, the team's note it bears on, "Done when",
   and blank lead, date, support and a status to fill in. Next steps under the last table.
3. The answers behind each descriptor with a gap, the optional block as recorded practice,
   the terms the plan uses and the sources it cites.

Each finding (a descriptor's "because") is printed once, over its action table; a met
descriptor with nothing to act on is one row of the status table.

The plan dict::

    {
      "language": "en" | "cy",            # document language (en-GB or cy-GB)
      "labels": {...},                    # every fixed word in the document, see LABELS
      "team": str,                        # team name, as typed
      "date": str,                        # when the audit finished (a draft: today), formatted
      "date_iso": "2026-11-22",           # the same date, for the document properties
      "tree_version": str,                # audit (question tree) version
      "contributors": [str],              # who contributed, one a line
      "draft": bool,                      # True while the audit is unfinished
      "classification": None | {          # None while the audit is unfinished
          "title": str, "summary": str,
          "flags": [str],                 # targeted findings, by title
          "standing": str,                # how much of the definition is met
          "to_reach": [str],              # what would change the result, sentences
      },
      "movement": None | {"summary": str},  # a re-audit: the movement in words
      "last_time_actions": [{"descriptor": str, "text": str, "again": bool}],
      "domains": [{
          "id": str, "title": str,
          "definitional": bool,           # False: audited, but not part of the definition
          "descriptors": [{
              "id": str, "title": str,
              "status": "met" | "partly_met" | "not_met" | "not_answered",
              "because": str,             # the finding: why it has that status
              "priority": "definition" | "specialised" | "strengthen" | None,
              "last_time": str,           # last time's status word, "" on a first audit
              "moved": "forward" | "back" | "",
              "answers": [{"question": str, "answer": str, "note": str}],  # gaps only
              "actions": [{"text": str, "source": str, "done_when": str,
                           "notes": [str], "commissioners": bool}],
          }],
      }],
      "recorded_practice": {"title": str, "note": str,  # the optional block
                            "answers": [{"question": str, "answer": str, "note": str}]},
      "next_steps": [str],                # paragraphs
      "glossary": [{"term": str, "definition": str}],  # the terms the plan uses
      "sources": [str],                   # the sources the actions cite
    }

Missing keys other than labels are read as empty. A missing label raises ValueError, so a
forgotten translation fails loudly in tests instead of leaving a hole in the document.
"""

from __future__ import annotations

import datetime as dt
import io
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
    "creator": "Parent-infant team self-audit (author and last-modified-by properties)",
    "draft": "Draft (under the title, footer, document status property)",
    "date": "Audit finished (details line, before the date)",
    "draft_date": "Answers as on (details line of a draft, before the date)",
    "tree_version": "Audit version (details line)",
    "contributors": "Who contributed (details line)",
    "status": "Status (status table column)",
    "result": "Result (Heading 1 of page one, before the result's title)",
    "where_you_stand": "Where you stand (Heading 1 of page one while there is no result)",
    "in_progress": "Not finished yet (shown when there is no classification)",
    "domain": "Domain (status table column)",
    "descriptor": "Descriptor (status table column)",
    "last_time": "Last time (status table column on a re-audit)",
    "met": "Met (status word)",
    "partly_met": "Partly met (status word)",
    "not_met": "Not met (status word)",
    "not_answered": "Not answered (status word)",
    "moved_forward": "moved forward (after last time's status)",
    "moved_back": "moved back (after last time's status)",
    "outside_definition": "Not part of the definition (status table)",
    "first_steps": "First steps (Heading 2 on page one)",
    "commissioners": "What we need from our commissioners (Heading 2 on page one)",
    "commissioners_none": "No step asks for a change to what is commissioned (page one)",
    "sign_off": "Agreed by (Heading 2 on page one, the sign-off box)",
    "role": "Role (sign-off column)",
    "name": "Name (sign-off column)",
    "signature": "Signature (sign-off column)",
    "sign_date": "Date (sign-off column)",
    "clinical_lead": "Clinical lead (sign-off row)",
    "service_manager": "Service manager (sign-off row)",
    "commissioner": "Commissioner (sign-off row)",
    "priority_definition": "Needed to meet the definition (priority, in a table's heading)",
    "priority_specialised": "Needed to be a specialised team (priority, targeted findings)",
    "priority_strengthen": "Strengthens the team (priority)",
    "actions_heading": "Action plan (Heading 1 of the landscape section)",
    "own_actions_hint": "Where the steps come from; add your own (under actions_heading)",
    "action": "Action (action table column)",
    "done_when": "Done when (action table column)",
    "lead": "Lead (action table column)",
    "by_when": "By when (action table column)",
    "support_needed": "Support needed (action table column)",
    "action_status": "Status (action table column: not started, in progress or done)",
    "not_started": "Not started (an action's status to begin with)",
    "suggested_from": "From (before an action's source)",
    "your_note": "Your note (before the team's note beside an action)",
    "last_year": "Last time's actions (Heading 2 on a re-audit)",
    "last_year_hint": "Mark each one done or carried over (under last_year)",
    "done_or_carried": "Done or carried over (column to fill in)",
    "again": "In this plan again (column: the action is suggested again)",
    "next_steps": "Next steps (Heading 1, under the last table)",
    "review_date": "Review date (next steps)",
    "review_date_blank": "____________ (space to write the review date)",
    "appendix": "Appendix: your answers where there is a gap (Heading 1)",
    "question": "Question (answers table column)",
    "answer": "Your answer (answers table column)",
    "your_notes": "Your notes (answers table, before a note)",
    "glossary": "Terms used (Heading 2)",
    "sources": "Sources (Heading 2)",
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
# Action, Done when, Lead, By when, Support needed, Status (257 mm of landscape)
_ACTION_WIDTHS_MM = (112, 55, 22, 20, 28, 20)
_ANSWER_SHARE = 0.6  # of the width: Question, then Your answer (and notes)
_STATUS_WIDTHS_MM = (70, 120, 40)  # Domain, Descriptor, Status
_STATUS_WIDTHS_AGAIN_MM = (62, 100, 35, 60)  # ... and Last time
_LAST_TIME_WIDTHS_MM = (60, 137, 25, 35)  # Descriptor, Action, In this plan again, Done?
_FIRST_STEP_WIDTHS_MM = (92, 24, 22, 32)  # Action, Lead, By when, Support needed
_SIGN_OFF_WIDTHS_MM = (38, 52, 50, 30)  # Role, Name, Signature, Date
_FIRST_STEPS = 3
_COMMISSIONER_ASKS = 3
_BLANK_ACTION_ROWS = 1
_BLANK_ROW_HEIGHT = Mm(8)
_SIGN_ROW_HEIGHT = Mm(9)
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
        self.width = _PORTRAIT_WIDTH_MM  # of the current section's text, in mm

    def build(self) -> bytes:
        _ensure_styles(self.doc)
        _drop_unused_table_styles(self.doc)
        self._set_up_document()
        self._page_one()
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

    def priority_word(self, priority: Any) -> str:
        return self.labels[PRIORITIES.get(priority, "priority_strengthen")]

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

    def bullets(self, items: Iterable[Any]) -> list[Paragraph]:
        return self.paragraphs(items, "List Bullet")

    def labelled(self, label: str, value: str) -> Paragraph:
        paragraph = self.para()
        paragraph.add_run(clean_text(label), style="Strong")
        paragraph.add_run(": " + clean_text(value))
        return paragraph

    def section(self, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape)
        self.fresh_page = True
        self.width = _LANDSCAPE_WIDTH_MM if landscape else _PORTRAIT_WIDTH_MM

    @property
    def answer_widths(self) -> tuple[float, float]:
        question = round(self.width * _ANSWER_SHARE)
        return (question, self.width - question)

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

    def blank_rows(self, table: Table, count: int, height: Any = _BLANK_ROW_HEIGHT) -> None:
        for _ in range(count):
            self.row(table, [])
            row = table.rows[-1]
            row.height = height
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def descriptors(self) -> list[Mapping[str, Any]]:
        """Every descriptor, in the tree's order."""
        return [
            descriptor
            for domain in self.plan.get("domains") or []
            for descriptor in domain.get("descriptors") or []
        ]

    def to_act_on(self) -> list[Mapping[str, Any]]:
        """The descriptors with something to act on, most pressing first (tree order within)."""
        order = list(PRIORITIES)
        return sorted(
            (d for d in self.descriptors() if d.get("priority") in PRIORITIES),
            key=lambda d: order.index(d["priority"]),
        )

    # -- the document ---------------------------------------------------------------------

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
        parts.append(labels["draft"] if self.plan.get("draft") else self.text("date"))
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
        # A finished audit's plan is not "final" until the team signs it off: no status.
        props.content_status = _core(labels["draft"]) if self.plan.get("draft") else ""
        props.language = _core(language)
        props.revision = 1
        props.created = created
        props.modified = created

    # -- page one -----------------------------------------------------------------------------

    def _page_one(self) -> None:
        """A one-page brief: who and when, the movement, the result, first steps, sign-off."""
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
            (labels["draft_date" if draft else "date"], self.text("date")),
            (labels["tree_version"], self.text("tree_version")),
        ]
        for index, (label, value) in enumerate(facts):
            details.add_run((" · " if index else "") + label, style="Strong")
            details.add_run(": " + value)
        contributors = [clean_text(c) for c in self.plan.get("contributors") or []]
        if any(c.strip() for c in contributors):
            self.labelled(labels["contributors"], "; ".join(c for c in contributors if c.strip()))
        movement = self.plan.get("movement") or {}
        if clean_text(movement.get("summary")).strip():
            self.para(movement.get("summary"), "Intense Quote")

        result = self.plan.get("classification")
        if result:
            self.heading(f"{labels['result']}: {clean_text(result.get('title'))}", 1)
            self.paragraphs([result.get("summary")])
            self.bullets(result.get("flags") or [])
            self.paragraphs([" ".join([result.get("standing") or "", *result.get("to_reach", [])])])
        else:
            self.heading(labels["where_you_stand"], 1)
            self.para(labels["in_progress"], "Intense Quote")
        self._first_steps()
        self._commissioners()
        self._sign_off()

    def first_steps(self) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        """The first step of each most pressing descriptor, then the second steps: three."""
        queues = [list(d.get("actions") or []) for d in self.to_act_on()]
        chosen = []
        for depth in range(max((len(q) for q in queues), default=0)):
            for descriptor, queue in zip(self.to_act_on(), queues, strict=True):
                if depth < len(queue) and len(chosen) < _FIRST_STEPS:
                    chosen.append((descriptor, queue[depth]))
        return chosen

    def _first_steps(self) -> None:
        steps = self.first_steps()
        if not steps:
            return
        labels = self.labels
        self.heading(labels["first_steps"], 2)
        header = [labels[k] for k in ("action", "lead", "by_when", "support_needed")]
        table = self.table(header, _FIRST_STEP_WIDTHS_MM)
        for descriptor, action in steps:
            cells = self.row(table, [])
            cells[0].paragraphs[0].add_run(clean_text(descriptor.get("title")), style="Strong")
            cells[0].paragraphs[0].add_run(": " + clean_text(action.get("text")))
        word_xml.keep_together(table, always=True)

    def _commissioners(self) -> None:
        """The most pressing steps that ask something of commissioners; the rest are in the
        tables (page one stays one page)."""
        asks = list(
            dict.fromkeys(
                clean_text(action.get("text"))
                for descriptor in self.to_act_on()
                for action in descriptor.get("actions") or []
                if action.get("commissioners")
            )
        )[:_COMMISSIONER_ASKS]
        self.heading(self.labels["commissioners"], 2)
        if asks:
            self.bullets(asks)
        else:
            self.para(self.labels["commissioners_none"])

    def _sign_off(self) -> None:
        labels = self.labels
        heading = self.heading(labels["sign_off"], 2)
        heading.paragraph_format.keep_with_next = True
        header = [labels[k] for k in ("role", "name", "signature", "sign_date")]
        table = self.table(header, _SIGN_OFF_WIDTHS_MM)
        for role in ("clinical_lead", "service_manager", "commissioner"):
            self.row(table, [labels[role]])
            table.rows[-1].height = _SIGN_ROW_HEIGHT
            table.rows[-1].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        word_xml.keep_together(table, always=True)

    # -- the action plan ----------------------------------------------------------------------

    def _action_plan(self) -> None:
        """One landscape section: where the team stands, last time's actions, a table per
        descriptor to act on, and the next steps under the last table."""
        labels = self.labels
        to_act_on = self.to_act_on()
        self.section(landscape=bool(to_act_on))
        self.heading(labels["actions_heading"] if to_act_on else labels["where_you_stand"], 1)
        self._status_table()
        self._last_time_actions()
        if to_act_on:
            self.para(labels["own_actions_hint"])
        header = [
            labels[k]
            for k in ("action", "done_when", "lead", "by_when", "support_needed", "action_status")
        ]
        for descriptor in to_act_on:
            status = self.status_word(descriptor.get("status"))
            priority = self.priority_word(descriptor.get("priority"))
            self.heading(f"{clean_text(descriptor.get('title'))} – {status} – {priority}", 2)
            because = clean_text(descriptor.get("because")).strip()
            if because:
                self.para(because).paragraph_format.keep_with_next = True
            self._action_table(header, descriptor)
        self._next_steps()

    def _status_table(self) -> None:
        """Every descriptor's status by domain (and last time's on a re-audit)."""
        labels = self.labels
        domains = [d for d in self.plan.get("domains") or [] if d.get("descriptors")]
        if not domains:
            return
        again = any(d.get("last_time") for d in self.descriptors())
        header = [labels["domain"], labels["descriptor"], labels["status"]]
        widths = _STATUS_WIDTHS_MM
        if again:
            header.append(labels["last_time"])
            widths = _STATUS_WIDTHS_AGAIN_MM
        table = self.table(header, widths)
        for domain in domains:
            first = len(table.rows)
            for descriptor in domain["descriptors"]:
                status = descriptor.get("status")
                cells = self.row(table, [])
                word_xml.write_cell(cells[1], descriptor.get("title"))
                word_xml.write_cell(cells[2], self.status_word(status), char_style="Strong")
                word_xml.shade(cells[2], STATUS_FILLS.get(status, STATUS_FILLS["not_answered"]))
                if again and descriptor.get("last_time"):
                    moved = {"forward": "moved_forward", "back": "moved_back"}.get(
                        descriptor.get("moved") or ""
                    )
                    word_xml.write_cell(cells[3], descriptor.get("last_time"))
                    if moved:
                        cells[3].paragraphs[0].add_run(f" – {labels[moved]}", style="Strong")
            domain_cell = table.cell(first, 0)
            if len(table.rows) - 1 > first:
                domain_cell = domain_cell.merge(table.cell(len(table.rows) - 1, 0))
            word_xml.write_cell(domain_cell, domain.get("title"))
            if not domain.get("definitional", True):
                domain_cell.add_paragraph().add_run(labels["outside_definition"], style="Emphasis")
        word_xml.keep_together(table, always=True)

    def _last_time_actions(self) -> None:
        rows = self.plan.get("last_time_actions") or []
        if not rows:
            return
        labels = self.labels
        self.heading(labels["last_year"], 2)
        self.para(labels["last_year_hint"]).paragraph_format.keep_with_next = True
        header = [labels[k] for k in ("descriptor", "action", "again", "done_or_carried")]
        table = self.table(header, _LAST_TIME_WIDTHS_MM)
        for row in rows:
            self.row(
                table, [row.get("descriptor"), row.get("text"), "✓" if row.get("again") else ""]
            )
        word_xml.keep_row_with_next(table.rows[0])
        self.para()

    def _action_table(self, header: list[str], descriptor: Mapping[str, Any]) -> None:
        labels = self.labels
        table = self.table(header, _ACTION_WIDTHS_MM)
        for action in descriptor.get("actions") or []:
            text, source = clean_text(action.get("text")), clean_text(action.get("source"))
            notes = [clean_text(n).strip() for n in action.get("notes") or []]
            size = len(text) + len(source) + sum(len(n) for n in notes)
            cells = self.row(
                table,
                [text, action.get("done_when"), "", "", "", labels["not_started"]],
                keep_together=size < _KEEP_ROW_TOGETHER_CHARS,
            )
            if source.strip():  # in the same paragraph: most sources then take no line of their own
                cells[0].paragraphs[0].add_run(
                    f" ({labels['suggested_from']}: {source})", style="Emphasis"
                )
            for note in (n for n in notes if n):
                paragraph = cells[0].add_paragraph()
                paragraph.add_run(f"{labels['your_note']}: ", style="Strong")
                paragraph.add_run(note)
        self.blank_rows(table, _BLANK_ACTION_ROWS)
        # A table may break between rows (its header repeats), but never straight after the
        # header, and its blank rows stay with the last action: no page of only blank rows.
        word_xml.keep_row_with_next(table.rows[0])
        word_xml.keep_tail_together(table, _BLANK_ACTION_ROWS + 1)

    def _next_steps(self) -> None:
        labels = self.labels
        block = [self.heading(labels["next_steps"], 1)]
        block += self.paragraphs(self.plan.get("next_steps") or [])
        block.append(self.labelled(labels["review_date"], labels["review_date_blank"]))
        # A few lines that read as one: kept on one page, so none is left alone on the next.
        for paragraph in block[:-1]:
            paragraph.paragraph_format.keep_with_next = True

    # -- after the action plan ----------------------------------------------------------------

    def _appendix(self) -> None:
        labels = self.labels
        groups = [d for d in self.descriptors() if d.get("answers")]
        practice = self.plan.get("recorded_practice") or {}
        if groups:
            self.heading(labels["appendix"], 1)
            self._answers_table(groups)
        if practice.get("answers"):
            self.heading(clean_text(practice.get("title")), 2)
            self._answers_table([{"answers": practice["answers"]}])
        glossary = [g for g in self.plan.get("glossary") or [] if clean_text(g.get("term"))]
        if glossary:
            self.heading(labels["glossary"], 2)
            table = self.table(None, (62, self.width - 62))
            for entry in glossary:
                term_cell, definition_cell = self.row(table, [])
                word_xml.write_cell(term_cell, entry.get("term"), char_style="Strong")
                word_xml.write_cell(definition_cell, entry.get("definition"))
            word_xml.keep_row_with_next(table.rows[0])
        sources = [s for s in self.plan.get("sources") or [] if clean_text(s).strip()]
        if sources:  # one paragraph: a heading never ends a page, and no page holds only this
            self.heading(labels["sources"], 2).paragraph_format.keep_with_next = True
            self.para("; ".join(sources))

    def _answers_table(self, groups: list[Mapping[str, Any]]) -> None:
        """One compact table: a shaded row naming each descriptor, then its answers.

        A note goes under its answer, in italics after "Your notes:", so the question has the
        width of the page and most rows take one or two lines.
        """
        labels = self.labels
        table = self.table([labels["question"], labels["answer"]], self.answer_widths)
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
        word_xml.keep_row_with_next(table.rows[0])


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
    doc.styles["Normal"].font.size = Pt(10.5)  # page one must hold the whole brief
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(12)  # the template's 24 pt
    word_xml.pad_table_cells(doc.styles[TABLE_STYLE], Mm(0.6))
    if CELL_STYLE not in names:
        cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = doc.styles["Normal"]
        cell.font.size = Pt(9)
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
