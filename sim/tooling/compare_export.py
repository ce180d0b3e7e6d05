"""The report in the formats policy readers open: HTML with figures inline, CSV and XLSX tables.

`report.html` is self-contained (each PNG embedded as base64), so it can be mailed or opened
offline; `tables.xlsx` holds every table of the report, one sheet each, beside one CSV per table.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import markdown
import pandas as pd

from sim.results import atomic_write

HTML_FILE = "report.html"
WORKBOOK = "tables.xlsx"
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;line-height:1.45}"
    "table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#f2f2f2}"
    "img{max-width:100%}"
)


def _inline_images(html: str, folder: Path) -> str:
    """Replace each `src="name.png"` by the PNG's bytes as a data URI."""

    def embed(match: re.Match[str]) -> str:
        data = (folder / match.group(1)).read_bytes()
        return f'src="data:image/png;base64,{base64.b64encode(data).decode()}"'

    return re.sub(r'src="([^"/]+\.png)"', embed, html)


def write_html(folder: Path, text: str) -> Path:
    """Write report.html from the report's markdown, figures inline."""
    body = markdown.markdown(text, extensions=["tables"])
    title = text.splitlines()[0].lstrip("# ") if text else "report"
    html = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body>\n{_inline_images(body, folder)}\n</body></html>\n"
    )
    path = folder / HTML_FILE
    atomic_write(path, lambda p: p.write_text(html, encoding="utf-8"))
    return path


def _csv(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False)


def write_tables(folder: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write each table as `<name>.csv` and all of them in tables.xlsx (one sheet each)."""
    for name, table in tables.items():
        atomic_write(folder / f"{name}.csv", partial(_csv, table))

    def workbook(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, table in tables.items():
                table.to_excel(writer, sheet_name=name[:31], index=False)

    atomic_write(folder / WORKBOOK, workbook)
