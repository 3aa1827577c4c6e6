"""The tracker's mapping: the schema's types and snapshots, cell readers, reading rows into the
group, planning the sync's writes, describing them, and a group written back as rows."""
