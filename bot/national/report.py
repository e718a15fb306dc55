"""The national report of a release: a Word document for decision makers, and its PDF.

Built as the action plan is (`bot.plan.document`): from a plain dict (`report_data`), styles
made sure of first, then headings, paragraphs and tables by style name. Key facts first, then
each table with a chart of its published numbers beside it, the paragraph on small numbers and
the release date. In the spirit of the foundation's 2024 report: how many teams, results by
nation, the descriptors most met and most missed, and the optional 2024 block's figures where
teams answered it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches

from bot.national import charts, downloads, wording
from bot.national.facts import ESTABLISHED, MET, NOT_FINISHED
from bot.national.layout import FINISHED_ROW, UK
from bot.national.release import HIDDEN, Release
from bot.plan.word_xml import clean_text

TITLE = "Specialised parent-infant relationship teams across the UK"
ABOUT = (
    "Teams audit themselves against the national definition of a specialised parent-infant "
    "relationship team with the Parent-Infant Foundation’s self-audit. Each approved team "
    "counts once, by its latest finished audit (a team that has not finished one counts as "
    "not finished yet). The Outcomes and sustainability descriptors are audited but are not "
    "part of the definition. Nor are the optional questions from the 2024 report “Who is "
    "holding the baby?”: their answers are counted among the finished teams that chose to "
    "answer them."
)
STYLES = ("Title", "Subtitle", "Heading 1", "List Bullet", "Table Grid", "Caption")


def long_date(release: Release) -> str:
    day = release.published_on
    return f"{day.day} {day:%B %Y}"


def _chart_for(release: Release, table) -> dict[str, Any] | None:
    """Return the chart of a table's main figures: (title, labels, values, unit)."""
    value = release.value
    if table.key == "teams":
        rows = [(label, value("teams", row, "teams")) for row, label in table.rows if row != UK]
        return {"title": "Teams taking part, by nation", "rows": rows, "unit": ""}
    if table.key == "results":
        keep = [*release.layout.shape.result_ids, NOT_FINISHED]
        rows = [(label, value("results", row, UK)) for row, label in table.rows if row in keep]
        return {"title": "Teams by result, UK", "rows": rows, "unit": ""}
    if table.key == "results_by_nation":
        rows = [
            (f"{column_label}: {row_label}", value(table.key, row, column))
            for column, column_label in table.columns
            for row, row_label in table.rows
            if row in release.layout.shape.result_ids
        ]
        return {"title": "Finished teams by result and nation", "rows": rows, "unit": ""}
    if table.key == "descriptors":
        finished = value("results", FINISHED_ROW, UK)
        met = [(label, value("descriptors", row, MET)) for row, label in table.rows]
        if not finished:  # hidden or none: the counts, since no share can be given
            return {"title": "Finished teams meeting each descriptor", "rows": met, "unit": ""}
        rows = [(label, None if n is None else wording.percent(n, finished)) for label, n in met]
        return {"title": "Share of finished teams meeting each descriptor", "rows": rows,
                "unit": "%"}  # fmt: skip
    if table.key == "reasons":
        rows = [(label, value("reasons", row, "targeted")) for row, label in table.rows]
        return {"title": "Targeted teams with each limit", "rows": rows, "unit": ""}
    if table.key == "practice_teams":
        rows = [(label, value(table.key, row, "teams")) for row, label in table.rows]
        return {"title": "Finished teams and the optional 2024 questions", "rows": rows,
                "unit": ""}  # fmt: skip
    if table.key == "practices":
        rows = [(label, value(table.key, row, ESTABLISHED)) for row, label in table.rows]
        return {"title": "Teams where each practice is well established", "rows": rows,
                "unit": ""}  # fmt: skip
    return None


def report_data(release: Release) -> dict[str, Any]:
    """Return the report as plain data: every word and number it will hold."""
    tables = []
    for table in release.layout.tables:
        header = ["", *(label for _, label in table.columns)]
        rows = [
            [label, *(release.shown_or_hidden(table.cell(row, c)) for c, _ in table.columns)]
            for row, label in table.rows
        ]
        if table.key == "descriptors":
            header.append("Met, share of finished teams")
            for line, (row, _) in zip(rows, table.rows, strict=True):
                line.append(
                    downloads.share_of_finished(release, release.value(table.key, row, MET))
                )
        tables.append(
            {
                "title": table.title,
                "header": header,
                "rows": rows,
                "chart": _chart_for(release, table),
            }
        )
    return {
        "title": TITLE,
        "date": long_date(release),
        "facts": [fact.text for fact in wording.key_facts(release)],
        "tables": tables,
        "protection": wording.protection(release),
        "about": ABOUT,
    }


def _ensure_styles(doc) -> None:
    names = {style.name for style in doc.styles}
    for name in STYLES:
        if name not in names:
            doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _add_chart(doc, chart: dict[str, Any]) -> None:
    labels = [label for label, _ in chart["rows"]]
    values = [value for _, value in chart["rows"]]
    png, alt = charts.bar_chart(chart["title"], labels, values, unit=chart["unit"])
    run = doc.add_paragraph().add_run()
    run.add_picture(io.BytesIO(png), width=Inches(charts.WIDTH_IN))
    for properties in run.element.iter(qn("wp:docPr")):
        properties.set("descr", alt)
        properties.set("title", chart["title"])


def build_report(data: dict[str, Any]) -> bytes:
    """Return the Word document of `report_data`, as bytes."""
    doc = Document()
    _ensure_styles(doc)
    doc.core_properties.title = f"{data['title']}: {data['date']}"
    doc.add_paragraph(data["title"], style="Title")
    doc.add_paragraph(f"National picture, release of {data['date']}", style="Subtitle")
    doc.add_heading("Key facts", level=1)
    for fact in data["facts"]:
        doc.add_paragraph(clean_text(fact), style="List Bullet")
    for table in data["tables"]:
        doc.add_heading(table["title"], level=1)
        grid = doc.add_table(rows=1, cols=len(table["header"]))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table["header"], strict=True):
            cell.text = clean_text(text)
        for line in table["rows"]:
            cells = grid.add_row().cells
            for cell, value in zip(cells, line, strict=True):
                cell.text = clean_text(value)
        if table["chart"]:
            _add_chart(doc, table["chart"])
    doc.add_heading("How small numbers are protected", level=1)
    doc.add_paragraph(data["protection"])
    doc.add_heading("About these figures", level=1)
    doc.add_paragraph(data["about"])
    doc.add_paragraph(f"Release date: {data['date']}. Hidden figures are marked “{HIDDEN}”.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def report_docx(release: Release) -> bytes:
    return build_report(report_data(release))


def report_pdf(docx: bytes, timeout: int = 120) -> bytes | None:
    """Return the report as PDF through LibreOffice, or None where it is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="report-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", work, str(source)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
        )  # fmt: skip
        pdf = Path(work) / "report.pdf"
        return pdf.read_bytes() if pdf.exists() else None
