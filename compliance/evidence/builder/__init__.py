"""Building a pack: collect (database to HTML and files), render, assemble (pypdf)."""
