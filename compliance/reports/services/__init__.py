"""Coordinator's notes on six-monthly reports; management reviews and their actions.

Verbs check `rules` (`check=False` is for callers acting as the system, e.g. demo data and
test helpers with no user), validate, mutate, flush and record; they never commit. One module
per aggregate; the verbs are re-exported here."""

from compliance.reports.services.notes import ensure_may_read_report, get_department, save_note
from compliance.reports.services.reviews import (
    add_action,
    create_review,
    get_action,
    get_review,
    update_action,
)
from compliance.reports.services.text import SUMMARY_LIMIT, TEXT_LIMIT, clean_text

__all__ = ["SUMMARY_LIMIT", "TEXT_LIMIT", "add_action", "clean_text", "create_review",
           "ensure_may_read_report", "get_action", "get_department", "get_review",
           "save_note", "update_action"]
