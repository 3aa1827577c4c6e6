"""The sync engine across platforms: the journal (every platform action recorded before and after)
and the plan-and-apply of Zoom meetings and calendar invitations (:mod:`.platforms`)."""
