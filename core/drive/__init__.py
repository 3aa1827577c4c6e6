"""The group's Drive as it should be: folders, who may open them, and the meetings' minutes as Docs.

:mod:`.folders` computes, from the group and braingain's memory of what it made and granted, the
folder tree and the permissions the roster calls for, and the actions between them
(``drive:folder:P1``, ``drive:share:P1:M04:writer``, ``drive:unshare:P1:M04``,
``drive:minutes:2027-01-16``); :mod:`.minutes` what a meeting's minutes Doc says. No I/O: the
adapters (``braingain.integrations.drive``) apply the actions.
"""
