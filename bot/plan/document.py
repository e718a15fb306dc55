"""Build the service-development action plan as a Word document.

`build_action_plan(plan)` takes a plain dict and returns the bytes of a .docx. The web layer
builds the dict in the user's language (English or Welsh), so every string in it is already
translated: this module adds no words of its own, only punctuation (": " and " – "), digits
and the document's structure. It imports no Flask and no gettext.

The document uses Word's built-in styles by name (Title, Subtitle, Heading 1 to 3, List Bullet,
Intense Quote, Quote, the Strong and Emphasis character styles, Table Grid), so headings
show in the navigation pane and a team can restyle the whole plan by changing a style. Pages
are A4; each domain's action tables sit in one landscape section. Every string is cleaned of
characters XML cannot hold before it reaches python-docx.

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
          "title": str, "summary": str, "reasons": [str],
          "to_reach": str | None,         # what would change the result
          "targeted_note": str | None,    # what "targeted" means, where it applies
      },
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
          "optional": bool,               # the optional block; holds extra_answers
          "counts": {"met": int, "partly_met": int, "not_met": int, "not_answered": int},
          "descriptors": [{
              "id": str, "title": str, "statement": str,
              "status": "met" | "partly_met" | "not_met" | "not_answered",
              "because": str,             # why it has that status
              "answers": [{"question": str, "answer": str, "note": str}],
              "evidence": [str],          # what evidence would show it
              "actions": [{"text": str, "source": str}],  # suggested; source = toolkit chapter
          }],
      }],
      "extra_answers": [{"question": str, "answer": str, "note": str}],  # the optional block
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
from docx.shared import Mm, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.plan import word_xml
from bot.plan.word_xml import clean_text

#: Every label the plan dict must carry, with the English wording it stands for.
LABELS: dict[str, str] = {
    "document_title": "Service development action plan (Title, document properties, footer)",
    "draft": "Draft (title page status, footer, document status property)",
    "final": "Final (title page status, document status property)",
    "team": "Team (title page)",
    "date": "Date (title page)",
    "tree_version": "Audit version (title page)",
    "contributors": "Who contributed (title page)",
    "status": "Status (title page; at-a-glance column)",
    "where_you_stand": "Where you stand (Heading 1)",
    "what_would_change": "What would change the result (Heading 2)",
    "in_progress": "Not finished yet (shown when there is no classification)",
    "at_a_glance": "At a glance (Heading 1)",
    "domain": "Domain (at-a-glance column)",
    "met": "Met (status word)",
    "partly_met": "Partly met (status word)",
    "not_met": "Not met (status word)",
    "not_answered": "Not answered (status word)",
    "outside_definition": "Audited, but not part of the definition (domain note)",
    "question": "Question (answers table column)",
    "answer": "Your answer (answers table column)",
    "your_notes": "Your notes (answers table column)",
    "strengths": "Strengths (Heading 3, met descriptors)",
    "evidence": "Evidence (Heading 3, met descriptors)",
    "evidence_needed": "Evidence that would show it is met (Heading 3, other descriptors)",
    "actions_heading": "Actions (Heading 2 of each landscape action section)",
    "own_actions_hint": "Add your own actions in the blank rows. (under actions_heading)",
    "action": "Action (action table column)",
    "lead": "Lead (action table column)",
    "by_when": "By when (action table column)",
    "support_needed": "Support needed (action table column)",
    "progress": "Progress (action table column)",
    "suggested_from": "From (before a suggested action's toolkit chapter)",
    "extra_answers": "Other answers (Heading 1, only when no domain is optional)",
    "next_steps": "Next steps (Heading 1)",
    "review_date": "Review date (next steps)",
    "review_date_blank": "____________ (space to write the review date)",
    "how_to_rerun": "How to run the audit again (paragraphs; blank lines split them)",
    "appendix": "Appendix (Heading 1)",
    "glossary": "Terms used (Heading 2)",
    "sources": "Toolkit chapters referred to (Heading 2)",
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
_WORST_FIRST = ("not_met", "partly_met", "not_answered", "met")

TABLE_STYLE = "Table Grid"
HEADER_FILL = "DCE6F2"
_LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB"}

_A4_SHORT, _A4_LONG = Mm(210), Mm(297)
_MARGIN = Mm(20)
_PORTRAIT_WIDTH_MM = 210 - 40
_LANDSCAPE_WIDTH_MM = 297 - 40
_ACTION_WIDTHS_MM = (109, 32, 26, 45, 45)  # Action, Lead, By when, Support needed, Progress
_ANSWER_WIDTHS_MM = (68, 46, 56)  # Question, Answer, Your notes
_BLANK_ACTION_ROWS = 3
_BLANK_ROW_HEIGHT = Mm(14)
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
        word_xml.memoise_style_ids(self.doc)
        self._set_up_document()
        self._title_page()
        self._where_you_stand()
        self._movement()
        self._at_a_glance()
        domains = list(self.plan.get("domains") or [])
        extra_answers = list(self.plan.get("extra_answers") or [])
        for domain in domains:
            self._domain(domain, extra_answers if domain.get("optional") else [])
        if extra_answers and not any(domain.get("optional") for domain in domains):
            self.heading(self.labels["extra_answers"], 1, new_page=True)
            self._answers_table(extra_answers)
        self._next_steps()
        self._appendix()
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

    def paragraphs(self, texts: Iterable[Any], style: str | None = None) -> None:
        for text in texts:
            if clean_text(text).strip():
                self.para(text, style)

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
        # The new section copies the title page's "different first page" setting, which
        # would leave the first page of every later section without its footer.
        section.different_first_page_header_footer = False
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
        first.different_first_page_header_footer = True
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

    def _title_page(self) -> None:
        labels = self.labels
        title = self.para(labels["document_title"], "Title")
        status = labels["draft" if self.plan.get("draft") else "final"]
        if self.plan.get("draft"):  # large, in its own colour, under the title
            title.add_run().add_break()
            title.add_run(status, style="Intense Reference")
        if self.text("team"):
            self.para(self.text("team"), "Subtitle")
        table = self.table(None, (50, _PORTRAIT_WIDTH_MM - 50))
        rows = [
            (labels["team"], [self.text("team")]),
            (labels["date"], [self.text("date")]),
            (labels["tree_version"], [self.text("tree_version")]),
            (labels["contributors"], [clean_text(c) for c in self.plan.get("contributors") or []]),
            (labels["status"], [status]),
        ]
        for label, values in rows:
            label_cell, value_cell = self.row(table, [])
            word_xml.write_cell(label_cell, label, char_style="Strong")
            word_xml.shade(label_cell, HEADER_FILL)
            word_xml.write_lines(value_cell, values)

    def _where_you_stand(self) -> None:
        labels = self.labels
        self.heading(labels["where_you_stand"], 1, new_page=True)
        result = self.plan.get("classification")
        if not result:
            self.para(labels["in_progress"], "Intense Quote")
            return
        self.heading(clean_text(result.get("title")), 2)
        self.paragraphs([result.get("summary")])
        self.bullets(result.get("reasons") or [])
        if clean_text(result.get("to_reach")).strip():
            self.heading(labels["what_would_change"], 2)
            self.paragraphs([result.get("to_reach")])
        if clean_text(result.get("targeted_note")).strip():
            self.para(result.get("targeted_note"), "Intense Quote")

    def _movement(self) -> None:
        """Since the last audit: the classification then and now, and each descriptor moved."""
        movement = self.plan.get("movement")
        if not movement:
            return
        self.heading(clean_text(movement.get("heading")), 1)
        self.paragraphs([movement.get("summary")])
        rows = movement.get("rows") or []
        if rows:
            self.heading(clean_text(movement.get("table_heading")), 2)
            columns = [clean_text(c) for c in movement.get("columns") or ["", "", ""]]
            table = self.table(columns, (90, 40, 40))
            for row in rows:
                self.row(table, [row.get("descriptor"), row.get("before"), row.get("after")])
            word_xml.keep_together(table)
        self.paragraphs([movement.get("none_moved")])

    def _at_a_glance(self) -> None:
        labels = self.labels
        domains = self.plan.get("domains") or []
        rows = [domain for domain in domains if any(_counts(domain).values())]
        if not rows:
            return
        self.heading(labels["at_a_glance"], 1)
        header = [labels["domain"], *(labels[s] for s in STATUSES), labels["status"]]
        table = self.table(header, (50, 23, 23, 23, 23, 28))
        for cell in table.rows[0].cells[1:5]:
            word_xml.align_centre(cell)
        for domain in rows:
            counts = _counts(domain)
            cells = self.row(table, [domain.get("title"), *(counts[s] for s in STATUSES)])
            if not domain.get("definitional", True):
                cells[0].add_paragraph().add_run(labels["outside_definition"], style="Emphasis")
            for cell in cells[1:5]:
                word_xml.align_centre(cell)
            overall = next(s for s in _WORST_FIRST if counts[s] or s == "met")
            word_xml.write_cell(cells[5], self.status_word(overall), char_style="Strong")
            word_xml.shade(cells[5], STATUS_FILLS[overall])
        word_xml.keep_together(table)

    def _domain(self, domain: Mapping[str, Any], extra_answers: list[Any]) -> None:
        labels = self.labels
        self.heading(clean_text(domain.get("title")), 1, new_page=True)
        if not domain.get("definitional", True):
            self.para(labels["outside_definition"], "Intense Quote")
        self.paragraphs([domain.get("note")])
        if extra_answers:
            self._answers_table(extra_answers)
        to_act_on = []
        for descriptor in domain.get("descriptors") or []:
            body = self.doc.element.body
            start = len(body) - 1  # the last child is the body's own sectPr
            self._descriptor(descriptor)
            word_xml.keep_block_together(list(body)[start:-1])
            if descriptor.get("status") in ("partly_met", "not_met"):
                to_act_on.append(descriptor)
        if to_act_on:
            self._action_section(domain, to_act_on)

    def _descriptor(self, descriptor: Mapping[str, Any]) -> None:
        labels = self.labels
        status = descriptor.get("status")
        self.heading(f"{clean_text(descriptor.get('title'))} – {self.status_word(status)}", 2)
        self.paragraphs([descriptor.get("statement")], "Quote")
        if descriptor.get("answers"):
            self._answers_table(descriptor["answers"])
        evidence = [e for e in descriptor.get("evidence") or [] if clean_text(e).strip()]
        if status == "met":
            self.heading(labels["strengths"], 3)
            self.paragraphs([descriptor.get("because")])
            if evidence:
                self.heading(labels["evidence"], 3)
                self.bullets(evidence)
            return
        self.paragraphs([descriptor.get("because")])
        if evidence:
            self.heading(labels["evidence_needed"], 3)
            self.bullets(evidence)

    def _answers_table(self, answers: Iterable[Mapping[str, Any]]) -> None:
        labels = self.labels
        header = [labels["question"], labels["answer"], labels["your_notes"]]
        table = self.table(header, _ANSWER_WIDTHS_MM)
        for answer in answers:
            self.row(table, [answer.get("question"), answer.get("answer"), answer.get("note")])
        word_xml.keep_together(table)
        self.para()  # keeps the next table or heading from touching this one

    def _action_section(self, domain: Mapping[str, Any], descriptors: list[Any]) -> None:
        labels = self.labels
        self.section(landscape=True)
        self.heading(f"{labels['actions_heading']} – {clean_text(domain.get('title'))}", 2)
        self.para(labels["own_actions_hint"])
        header = [labels[k] for k in ("action", "lead", "by_when", "support_needed", "progress")]
        for descriptor in descriptors:
            title = clean_text(descriptor.get("title"))
            self.heading(f"{title} – {self.status_word(descriptor.get('status'))}", 3)
            table = self.table(header, _ACTION_WIDTHS_MM)
            for action in descriptor.get("actions") or []:
                text, source = clean_text(action.get("text")), clean_text(action.get("source"))
                cells = self.row(table, [text], keep_together=len(text) + len(source) < 800)
                if source.strip():
                    cells[0].add_paragraph().add_run(
                        f"{labels['suggested_from']}: {source}", style="Emphasis"
                    )
            for _ in range(_BLANK_ACTION_ROWS):
                self.row(table, [])
                row = table.rows[-1]
                row.height = _BLANK_ROW_HEIGHT
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            word_xml.keep_together(table)
            self.para()
        self.section(landscape=False)

    def _next_steps(self) -> None:
        labels = self.labels
        self.heading(labels["next_steps"], 1, new_page=True)
        self.paragraphs(self.plan.get("next_steps") or [])
        self.labelled(labels["review_date"], labels["review_date_blank"])
        self.paragraphs(re.split(r"\n\s*\n", labels["how_to_rerun"]))

    def _appendix(self) -> None:
        labels = self.labels
        glossary = [g for g in self.plan.get("glossary") or [] if clean_text(g.get("term"))]
        sources = [s for s in self.plan.get("sources") or [] if clean_text(s).strip()]
        if not glossary and not sources:
            return
        self.heading(labels["appendix"], 1)
        if glossary:
            self.heading(labels["glossary"], 2)
            table = self.table(None, (55, _PORTRAIT_WIDTH_MM - 55))
            for entry in glossary:
                term_cell, definition_cell = self.row(table, [])
                word_xml.write_cell(term_cell, entry.get("term"), char_style="Strong")
                word_xml.write_cell(definition_cell, entry.get("definition"))
        if sources:
            self.heading(labels["sources"], 2)
            self.bullets(sources)


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
    word_xml.pad_table_cells(doc.styles[TABLE_STYLE], Mm(1))


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


def _counts(domain: Mapping[str, Any]) -> dict[str, int]:
    given = domain.get("counts")
    if given:
        return {status: _as_int(given.get(status)) for status in STATUSES}
    counts = dict.fromkeys(STATUSES, 0)
    for descriptor in domain.get("descriptors") or []:
        status = descriptor.get("status")
        counts[status if status in STATUSES else "not_answered"] += 1
    return counts


def _as_int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
