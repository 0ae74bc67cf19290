"""Retention and disposition of documents and legal holds (ISO 9001 7.5.3.2 d): the tables,
labels, permissions, calendar arithmetic and reads. The verbs are in
`documents.services.retention` and `documents.services.holds`."""
