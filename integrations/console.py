"""The one place braingain makes a terminal console (rich): colour only where a person sees it.

Colour is off when ``NO_COLOR`` is set to anything but an empty string (https://no-color.org),
when the output is not a terminal (piped into a file or another program), and always for
``--format json``, whose output is for scripts. Nothing else in braingain makes a
:class:`rich.console.Console`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from rich.console import Console


def colour_wanted(
    file: TextIO, *, json_output: bool = False, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether output to ``file`` may be in colour: a terminal, not JSON, and no ``NO_COLOR``."""
    env = os.environ if environ is None else environ
    if json_output or env.get("NO_COLOR", ""):
        return False
    isatty = getattr(file, "isatty", None)
    return bool(callable(isatty) and isatty())


def make_console(
    file: TextIO | None = None,
    *,
    json_output: bool = False,
    terminal: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> Console:
    """A console that writes to ``file`` (standard output by default), in colour only when
    :func:`colour_wanted` says so. ``terminal`` overrides whether ``file`` counts as a terminal
    (for tests). Text is never re-wrapped (long lines stay whole when piped) and never read as
    markup or emoji codes: what braingain prints is printed as it is."""
    out = file if file is not None else sys.stdout
    env = os.environ if environ is None else environ
    if terminal is None:
        coloured = colour_wanted(out, json_output=json_output, environ=env)
    else:
        coloured = terminal and not json_output and not env.get("NO_COLOR", "")
    return Console(
        file=out,
        color_system="standard" if coloured else None,
        force_terminal=coloured,
        no_color=not coloured,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )
