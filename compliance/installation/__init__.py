"""Above the organisations: the installation administrator's pages and oversight (issue 14)."""
