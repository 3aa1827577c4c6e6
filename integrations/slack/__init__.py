"""Slack: the group's Slack app (its manifest now; the app itself, messages and digests in step 5)."""
