"""Authorship: tasks and their lifecycle, volunteering and selection, the append-only ledger and
what braingain remembers of it, disputes, ICMJE authorship and author order, CRediT, points."""
