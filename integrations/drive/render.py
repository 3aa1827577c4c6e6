"""A meeting's minutes as one small HTML document: what Google converts to a Doc on upload
(``text/html`` to ``application/vnd.google-apps.document``) and what the workspace's folder keeps.

Plain, semantic HTML (headings, paragraphs, lists) with no styles, scripts or remote resources, so
that Drive's conversion keeps its structure; every text is escaped."""

from __future__ import annotations

from html import escape

from braingain.core.drive.minutes import MinutesDoc


def _list(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join("<p>" + "<br>".join(escape(line) for line in b.split("\n")) + "</p>" for b in blocks)


def minutes_html(doc: MinutesDoc) -> str:
    """``doc`` as a complete HTML document (UTF-8 text)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(doc.title)}</title></head><body>",
        f"<h1>{escape(doc.title)}</h1>",
        f"<p>{escape(doc.group)}. {escape(doc.when)}.</p>",
    ]
    if doc.present or doc.absent or doc.excused:
        parts.append("<h2>Attendance</h2>")
        for label, names in (("Present", doc.present), ("Absent", doc.absent), ("Excused", doc.excused)):
            if names:
                parts.append(f"<p><b>{label}:</b> {escape(', '.join(names))}</p>")
    if doc.agenda:
        parts += ["<h2>Agenda</h2>", _list(doc.agenda)]
    parts += ["<h2>Minutes</h2>", _paragraphs(doc.minutes)]
    if doc.decisions:
        parts += ["<h2>Decisions</h2>", _list(doc.decisions)]
    if doc.actions:
        parts.append("<h2>Action items</h2><ul>")
        for action in doc.actions:
            due = f", by {escape(action.due)}" if action.due else ""
            parts.append(f"<li>{escape(action.title)} ({escape(action.owner)}{due})</li>")
        parts.append("</ul>")
    if doc.recorded_by:
        parts.append(f"<p><i>Minutes taken by {escape(doc.recorded_by)}.</i></p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
