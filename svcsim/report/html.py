"""HTML pieces of the report page: escaped text, number formats, tables, the page shell with its print style.

Numbers are written with thousands separators and their unit; a value that
is missing is an en dash. Table cells that a test reads back carry
``data-table``, ``data-row`` and ``data-column`` attributes naming the table
and the cell they were written from. No script, no link, no external
resource: the page is one file that opens offline.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import pandas as pd

__all__ = ["Column", "escape", "fmt_count", "fmt_number", "fmt_pct", "page", "table"]

escape = html.escape


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_pct(value: object, digits: int = 1) -> str:
    """``97.3 %``; a missing value is a dash."""
    return "–" if _missing(value) else f"{float(value):,.{digits}f} %"


def fmt_number(value: object, digits: int = 1) -> str:
    """``1,234.5``; a missing value is a dash."""
    if _missing(value):
        return "–"
    number = float(value)
    return f"{number:,.0f}" if digits == 0 or (number.is_integer() and abs(number) >= 1000) else f"{number:,.{digits}f}"


def fmt_count(value: object) -> str:
    """``12,345``."""
    return "–" if _missing(value) else f"{int(value):,}"


def fmt_signed(value: object, digits: int = 1) -> str:
    """``+1.5``, ``-2.0``."""
    return "–" if _missing(value) or (isinstance(value, float) and math.isnan(value)) else f"{float(value):+,.{digits}f}"


class Column:
    """One column of an HTML table: its header, the table column it shows and how each value is written."""

    def __init__(self, header: str, source: str, write: Callable[[object], str] = str, *, number: bool = True,
                 css: Callable[[pd.Series], str] | None = None) -> None:
        self.header, self.source, self.write, self.number, self.css = header, source, write, number, css


def table(frame: pd.DataFrame, columns: Sequence[Column], *, name: str, key: str | None = None,
          caption: str = "") -> str:
    """An HTML table of ``frame``'s rows; each cell tagged with ``name``, its row key and source column."""
    head = "".join(f"<th>{escape(c.header)}</th>" for c in columns)
    body = []
    for position, (_, row) in enumerate(frame.iterrows()):
        row_key = str(row[key]) if key else str(position)
        cells = []
        for c in columns:
            value = row[c.source] if c.source in row.index else None
            classes = ["num"] if c.number else []
            if c.css is not None:
                classes.append(c.css(row))
            cells.append(f'<td class="{" ".join(classes)}" data-table="{escape(name)}" data-row="{escape(row_key)}" '
                         f'data-column="{escape(c.source)}">{escape(c.write(value))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:62rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.4rem 0;font-size:13px}th,td{padding:.15rem .6rem;border-bottom:1px solid #e4e4e4;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.good{background:#d8f0e6}td.bad{background:#f9ddd0}td.unsure{background:#fbf1c7}td.later{color:#666;font-style:italic}
.headline th{background:none;font-weight:600;padding-right:1.2rem}figure{margin:.6rem 0;break-inside:avoid}
figure svg{max-width:100%;height:auto}.grid{display:flex;flex-wrap:wrap;gap:0 .5rem}.grid figure{flex:0 1 19rem}p.note{color:#444;font-style:italic}caption{text-align:left;color:#444;font-size:12px}
.legend span{padding:0 .4rem;margin-right:.4rem}footer{margin-top:2rem;color:#666;font-size:12px}
@media print{body{max-width:none;margin:0;font-size:11pt}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""


def page(title: str, headline: dict[str, str], body: Sequence[str], footer: str) -> str:
    """The whole page: a title, the headline table, the sections, a footer; style inline, nothing external."""
    rows = "".join(f'<tr><th>{escape(k)}</th><td data-headline="{escape(k)}">{escape(v)}</td></tr>'
                   for k, v in headline.items())
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
            f'<h1>{escape(title)}</h1><table class="headline">{rows}</table>'
            + "".join(body) + f"<footer>{escape(footer)}</footer></body></html>\n")
