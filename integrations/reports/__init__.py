"""Reports rendered for people and journals: charts (matplotlib), JATS, Word, HTML."""
