"""The group's Drive: Google Drive (``google``), or a folder tree in the workspace (``local``) until it
is set up; ``render`` turns a meeting's minutes into the HTML both save (Google converts it to a Doc)."""
