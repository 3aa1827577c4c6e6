"""The braingain domain: pure Python, no I/O, no SDKs, no clock or environment reads.

Time is always passed in. Adapters in ``braingain.integrations`` read the tracker,
build these objects, ask the core for a plan, and apply it to each platform.

Modules: ``members``, ``projects``, ``tasks``, ``volunteering``, ``ledger``,
``disputes``, ``authorship``, ``credit``; errors in ``errors``.
"""
