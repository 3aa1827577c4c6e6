"""Messages: what the group is told, to whom, and when (step 5).

The core decides every message (:mod:`braingain.core.messaging.outgoing`: its key, where it goes, what
it says as typed content) and which are due now (:mod:`braingain.core.messaging.due`); the
integrations render them (Block Kit and text for Slack, plain text and HTML for email) and deliver
each once, journaled by the sync engine.
"""
