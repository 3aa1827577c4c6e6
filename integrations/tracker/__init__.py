"""Tracker backends: the local .xlsx workbook and the Google Sheet, their shared layout, the
schema as data, and the Google sync lease."""
