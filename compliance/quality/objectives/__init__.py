"""Quality policy and objectives (ISO 9001 5.2, 6.2), context and interested parties (4.1,
4.2)."""
