"""CSV files the secretariat opens in Excel: UTF-8 with a BOM, no cell run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# Spreadsheets run a cell starting with these as a formula: a name typed by a user must
# never become one in the secretariat's Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a safe spreadsheet cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A header and rows as CSV bytes Excel reads with Vietnamese letters intact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(cell(value) for value in row)
    return out.getvalue().encode("utf-8-sig")
