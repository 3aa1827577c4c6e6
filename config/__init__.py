"""Example configuration, shipped so that ``braingain init`` can start a group's ``braingain.toml``.

``braingain.example.toml`` documents every key. Secrets never live here: they come only
from the environment or a ``.env`` file.
"""
