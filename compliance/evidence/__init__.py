"""Evidence packs: one PDF that proves the quality system works, built off the request path."""
