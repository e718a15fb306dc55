"""Exports as Excel workbooks (openpyxl): typed cells, never a formula, text as typed.

No Flask. Times (aware datetimes, or the ISO text the CSV exports hold) become Excel dates in
UK time; numbers stay numbers, booleans booleans; every other value is a text cell, marked as
text so that "=1+2" or "-2 posts vacant" is shown exactly as typed and never run.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

UK = ZoneInfo("Europe/London")
MAX_CELL = 32_767  # Excel's longest cell
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UK).replace(tzinfo=None)
    return moment


def _cell(sheet, value: Any, is_time: bool) -> WriteOnlyCell:
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if is_time and (moment := _as_time(value)) is not None:
        cell = WriteOnlyCell(sheet, value=moment)
        cell.number_format = DATE_TIME_FORMAT
        return cell
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, bool | int | float):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, list):
        text = "; ".join(str(item) for item in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL])
    cell.data_type = "s"  # text, even when it starts with "=": never a formula
    return cell


def workbook_bytes(
    title: str,
    columns: list[str],
    records: Iterable[dict[str, Any]],
    *,
    time_columns: Collection[str] = (),
    cells: dict[str, Any] | None = None,
) -> bytes:
    """Return an .xlsx of one sheet: a bold header of `columns`, then a row per record.

    `cells` maps a column to a function giving its value (as the CSV's own cell functions do).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    converters = cells or {}
    for record in records:
        sheet.append(
            [
                _cell(
                    sheet,
                    converters[column](record.get(column))
                    if column in converters
                    else record.get(column),
                    column in time_columns,
                )
                for column in columns
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
