"""Low-level Word XML that python-docx has no API for: table looks, row and cell properties,
shading, fields, document defaults.

Each function takes a python-docx object and changes its XML in place; none adds words.
`clean_text` drops what XML cannot hold, before any text reaches python-docx.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

_KEEP_TABLE_CHARS = 1200  # longer tables may split across pages (narrow columns wrap a lot)

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: Any) -> str:
    """Return `value` as a string XML can hold: control characters and lone surrogates go.

    Tabs and line breaks stay; Windows and old Mac line ends become "\\n".
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def pad_table_cells(style: Any, padding: Any) -> None:
    """Give the table style some room above and below cell text (Table Grid has none)."""
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    old = tbl_pr.find(qn("w:tblCellMar"))
    widths = {"top": padding.twips, "left": 108, "bottom": padding.twips, "right": 108}
    if old is not None:
        for side in ("left", "right"):
            found = old.find(qn(f"w:{side}"))
            if found is not None:
                widths[side] = int(found.get(qn("w:w")))
        tbl_pr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side, width in widths.items():  # the schema's order: top, left, bottom, right
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(width)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def set_default_language(doc: DocxDocument, tag: str) -> None:
    """Set the language of all text (spelling, hyphenation, screen readers) to `tag`."""
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def drop_template_thumbnail(doc: DocxDocument) -> None:
    """Remove the blank-page thumbnail python-docx's template carries; it would mislead."""
    rels = doc.part.package.rels
    for rel_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rel_id]


def write_cell(cell: _Cell, text: Any, char_style: str | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.add_run(clean_text(text), style=char_style)


def set_column_widths(table: Table, widths_mm: Sequence[float]) -> None:
    for col, width in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(Mm(width).twips)))


def table_look(table: Table, header_row: bool) -> None:
    """Say which conditional parts of the table style apply: the header row only."""
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    flags = {
        "firstRow": header_row,
        "lastRow": False,
        "firstColumn": False,
        "lastColumn": False,
        "noHBand": True,
        "noVBand": True,
    }
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    look.set(qn("w:val"), "0620" if header_row else "0600")


def repeat_as_header(row: Any) -> None:
    """Mark `row` as the header row Word and LibreOffice repeat on each page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.insert_element_before(
        header, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
    )


def cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert_element_before(
        OxmlElement("w:cantSplit"),
        "w:trHeight",
        "w:tblHeader",
        "w:tblCellSpacing",
        "w:jc",
        "w:hidden",
        "w:ins",
        "w:del",
        "w:trPrChange",
    )


def keep_together(table: Table, always: bool = False) -> None:
    """Keep a short table on one page: each row's paragraphs keep with the next row.

    A longer table may split, as Word would split it anyway, but its header row still keeps
    with the first row, so a heading never ends a page on its own. `always` keeps it whole
    whatever its length (a table that must print on one page).
    """
    rows = list(table.rows)
    long_table = sum(len(cell.text) for row in rows for cell in row.cells) > _KEEP_TABLE_CHARS
    for row in rows[:1] if long_table and not always else rows[:-1]:
        keep_row_with_next(row)


def keep_tail_together(table: Table, count: int) -> None:
    """Keep the last `count` rows on one page, so blank rows never stand alone on a page."""
    for row in list(table.rows)[-count:-1]:
        keep_row_with_next(row)


def keep_row_with_next(row: Any) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def style_cell_paragraphs(doc: DocxDocument, style_id: str) -> None:
    """Give every paragraph in every table cell the paragraph style `style_id`."""
    for paragraph in doc.element.body.iter(qn("w:tc")):
        for p in paragraph.iter(qn("w:p")):
            p.get_or_add_pPr().get_or_add_pStyle().val = style_id


def shade(cell: _Cell, fill: str) -> None:
    """Fill `cell` with the colour `fill` (hex RGB) through w:shd."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(
        shd,
        "w:noWrap",
        "w:tcMar",
        "w:textDirection",
        "w:tcFitText",
        "w:vAlign",
        "w:hideMark",
        "w:headers",
        "w:cellIns",
        "w:cellDel",
        "w:cellMerge",
        "w:tcPrChange",
    )


def page_number_field(paragraph: Paragraph) -> None:
    """Append a PAGE field, which Word and LibreOffice fill with the page number."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
