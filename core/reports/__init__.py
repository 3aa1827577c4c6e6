"""Reports of the group: pictures and papers (step 7). Pure: they take a Group and a day."""
