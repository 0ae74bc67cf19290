"""The annual report on the quality system (issue 17, item 4): a template of sections the
coordinator edits (each bound to a computed figure or a written paragraph), the report of a
year drafted from it, previewed, signed by the head (password again) and kept as a PDF in the
state's format (Vietnamese only)."""
