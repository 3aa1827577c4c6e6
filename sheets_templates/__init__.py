"""The tracker's schema as data: ``tracker.toml``, one definition per tab.

Both backends (the Google Sheet and the local workbook) are generated from it and read
through it. Load it with :func:`braingain.integrations.tracker.schema.load_schema`.
"""
