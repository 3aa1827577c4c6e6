"""braingain: run a research peer-mentorship group from the tools it already uses.

``braingain.core`` is the domain (pure Python, no I/O); ``braingain.integrations``
holds the adapters for Google Sheets, Drive, Zoom, Slack and email, the composition
root and the command line. See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
