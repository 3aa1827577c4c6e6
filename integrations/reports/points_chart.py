"""Points per member for one output, as a chart for the digest and the HTML report.

Horizontal bars, most points at the top (ties by name, then member id), authors in one colour and
acknowledged members in another, and a dashed line at the points threshold. Each bar is an SVG
group ``<g id="points-<member id>">`` and the threshold ``<g id="threshold">``; every label is SVG
text, so a test reads the chart back.
"""

from __future__ import annotations

import textwrap

from matplotlib.patches import Patch

from braingain.core.reports.authorship import JournalAuthorship
from braingain.integrations.reports.charts import Rendered, figure, rendered

AUTHOR_COLOUR = "#2b6cb0"
ACKNOWLEDGED_COLOUR = "#a0aec0"
THRESHOLD_COLOUR = "#c53030"


def render_points(report: JournalAuthorship) -> Rendered | None:
    """The points chart of ``report``'s output (see the module's docstring); ``None`` when no member
    has points for it yet (say so in words instead: an empty chart tells nobody anything)."""
    if not report.standings:
        return None
    rows = sorted(report.standings, key=lambda s: (-s.points, s.name.casefold(), s.member_id))
    threshold = float(report.decision.threshold)
    height = 1.2 + 0.32 * len(rows)
    with figure(7.0, height) as fig:
        axes = fig.add_subplot()
        for place, standing in enumerate(rows):
            colour = AUTHOR_COLOUR if standing.position is not None else ACKNOWLEDGED_COLOUR
            (bar,) = axes.barh([place], [float(standing.points)], color=colour, height=0.7)
            bar.set_gid(f"points-{standing.member_id}")
            axes.text(
                float(standing.points),
                place,
                f" {standing.points}",
                va="center",
                ha="left",
                fontsize=8,
            )
        axes.set_yticks(range(len(rows)), [s.name for s in rows])
        axes.invert_yaxis()
        line = axes.axvline(
            threshold,
            color=THRESHOLD_COLOUR,
            linestyle="--",
            linewidth=1,
            label=f"threshold: {report.decision.threshold} points",
        )
        line.set_gid("threshold")
        axes.legend(
            handles=[
                Patch(color=AUTHOR_COLOUR, label="author"),
                Patch(color=ACKNOWLEDGED_COLOUR, label="acknowledged"),
                line,
            ],
            loc="lower right",
            fontsize=8,
        )
        axes.set_xlabel("Points")
        axes.set_title(
            "\n".join(textwrap.wrap(f"Points for {report.output.title}", 70)), loc="left", fontsize=10
        )
        top = max(float(rows[0].points), threshold)
        axes.set_xlim(0, top * 1.15 if top else 1)
        authors = sum(1 for s in rows if s.position is not None)
        alt = (
            f"Points for {report.output.title}: {len(rows)} members, {authors} of them authors; "
            f"the threshold is {report.decision.threshold} points. Most: {rows[0].name}, {rows[0].points}."
        )
        return rendered(fig, alt)
