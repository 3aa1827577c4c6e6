"""One self-contained HTML page: the frame every braingain HTML report is written in.

A page is a title, a line saying when it was made, a table of contents and :class:`Section`\\ s. It
carries everything it shows: its style inline, every chart as a ``data:`` URI (SVG, so it prints
sharp), no script, no font, no image or style from anywhere else; so it opens the same from a
disk, an email attachment or a shared drive, and prints on A4 or Letter (each section starts on a
new page when printed, charts never cut in two). Every value is escaped (``html.escape``) where it
is written: a section's ``body`` is HTML already escaped by whoever built it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from braingain.integrations.reports.charts import Rendered

STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #1f2933; margin: 0 auto;
  max-width: 60rem; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d9e2ec; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
p.made { color: #52606d; margin: 0 0 1rem; }
nav ol { margin: .25rem 0 1rem; padding-left: 1.25rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d9e2ec; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.section td { font-weight: 600; background: #f3f5f8; }
td.sub { padding-left: 1.5rem; }
figure { margin: .5rem 0 1rem; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #52606d; font-size: .85rem; }
.note { color: #52606d; font-size: .9rem; }
p.empty { font-style: italic; color: #52606d; }
p.warning { background: #fff4e5; border: 2px solid #b54708; border-left-width: .5rem; color: #7a2e0e;
  font-weight: 600; padding: .6rem .8rem; margin: 0 0 1rem; }
@media print {
  body { max-width: none; padding: 0; }
  section.part { break-before: page; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a page: ``anchor`` (its id, for the table of contents), ``heading`` (plain text),
    and ``body`` (HTML, its values escaped by whoever built it)."""

    anchor: str
    heading: str
    body: str


def chart_html(chart: Rendered, *, caption: str | None = None) -> str:
    """A chart as an ``<img>`` carrying its SVG as a ``data:`` URI, its ``alt`` text, and a caption."""
    data = base64.b64encode(chart.svg).decode("ascii")
    said = escape(caption if caption is not None else chart.alt)
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{escape(chart.alt, quote=True)}">'
        f"<figcaption>{said}</figcaption></figure>"
    )


def table_html(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, numbers: Iterable[int] = (), caption: str = ""
) -> str:
    """A table of plain-text cells (escaped here); columns in ``numbers`` align right."""
    right = set(numbers)

    def cell(tag: str, index: int, value: str) -> str:
        kind = ' class="n"' if index in right else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{kind}{scope}>{escape(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    said = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{said}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def paragraph(text: str, *, kind: str = "") -> str:
    """A paragraph of plain text (escaped here); ``kind`` is its class (``note``, ``empty``)."""
    cls = f' class="{escape(kind, quote=True)}"' if kind else ""
    return f"<p{cls}>{escape(text)}</p>"


def page_html(
    title: str, made: str, sections: Sequence[Section], *, lang: str = "en", warning: str = ""
) -> str:
    """The whole page: ``title`` (plain text), ``made`` (a line such as "Made on 1 December 2026"),
    ``warning`` (plain text; when given, shown first under the title as
    ``<p class="warning" role="alert">``, e.g. that the report is not the whole answer), a table of
    contents (when there is more than one section) and the sections in order. Returns the HTML text
    (UTF-8 when written)."""
    contents = "".join(
        f'<li><a href="#{escape(s.anchor, quote=True)}">{escape(s.heading)}</a></li>' for s in sections
    )
    nav = (
        f'<nav aria-label="Contents"><strong>Contents</strong><ol>{contents}</ol></nav>'
        if len(sections) > 1
        else ""
    )
    parts = "".join(
        f'<section class="part" id="{escape(s.anchor, quote=True)}"><h2>{escape(s.heading)}</h2>'
        f"{s.body}</section>"
        for s in sections
    )
    alert = f'<p class="warning" role="alert">{escape(warning)}</p>' if warning else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><header><h1>{escape(title)}</h1>{alert}<p class="made">{escape(made)}</p></header>'
        f"{nav}<main>{parts}</main></body></html>\n"
    )
