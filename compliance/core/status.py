"""The six status colours every domain's badges share (docs/design.md): a record's state is
drawn as draft, in review, in force or closed, and a date as overdue or due soon, whatever
the domain calls its states. Core names no domain: this is a table of state names only."""

from __future__ import annotations

# State name (as the domains store it) -> tone. Anything else is drawn as in review: on its
# way, neither finished nor at rest.
TONES = {
    "draft": "draft", "planned": "draft", "pending": "draft", "proposed": "draft",
    "in_review": "review", "review": "review", "in_progress": "review", "open": "review",
    "contained": "review", "analysed": "review", "actions": "review", "verifying": "review",
    "reported": "review",
    "effective": "in-force", "approved": "in-force", "active": "in-force",
    "treated": "in-force", "accepted": "in-force", "achieved": "in-force", "done": "in-force",
    "obsolete": "closed", "superseded": "closed", "closed": "closed", "cancelled": "closed",
    "withdrawn": "closed",
    "overdue": "overdue", "due_soon": "due-soon",
}


def status_class(state: str | None) -> str:
    """The badge classes for a state: `badge status status-<tone>`."""
    return f"badge status status-{TONES.get(state or '', 'review')}"
