"""Cells of exported spreadsheets that a spreadsheet program would run as formulas."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by Excel, WPS and LibreOffice
# (``=cmd|' /C calc'!A0``, ``@SUM(…)``, ``+1+cmd|…``), even in a CSV file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(value):
    """``value``, with a text that would be read as a formula turned into plain text by a
    leading apostrophe (which spreadsheet programs hide); anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
