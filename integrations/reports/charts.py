"""Charts drawn with matplotlib, off screen, as PNG and SVG that are the same bytes for the same chart.

Every chart module draws on a figure from :func:`figure` and turns it into :class:`Rendered` with
:func:`rendered`. The SVG keeps its text as text (``svg.fonttype = "none"``), so a test (or a screen
reader) can read the tasks and dates back from it; artists given a ``gid`` appear as ``<g id="…">``
elements. Neither file carries a creation date or the matplotlib version, and the SVG's ids are
salted with a constant, so drawing the same chart twice gives identical files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # off screen, whatever the machine: no display is ever needed

from matplotlib import pyplot  # after the backend is chosen

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "braingain",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
"""The rcParams every braingain chart is drawn with."""

DPI = 150
"""PNG resolution, dots per inch: sharp in an email or on a printed page."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """One chart: ``png`` and ``svg`` bytes, and ``alt``: a sentence saying what it shows (the
    ``alt`` text of an ``<img>``, the caption of an attachment)."""

    png: bytes
    svg: bytes
    alt: str


@contextmanager
def figure(width: float, height: float) -> Iterator[Figure]:
    """A new figure ``width`` × ``height`` inches in braingain's style, closed on leaving the block."""
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        fig = pyplot.figure(figsize=(width, height), layout="constrained")
        try:
            yield fig
        finally:
            pyplot.close(fig)


def rendered(fig: Figure, alt: str) -> Rendered:
    """``fig`` as PNG and SVG bytes, without dates or versions (see the module's docstring)."""
    png = io.BytesIO()
    svg = io.BytesIO()
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Rendered(png.getvalue(), svg.getvalue(), alt)
