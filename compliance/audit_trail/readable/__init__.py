"""History people can read: each audit-trail event as a sentence in the reader's language
(who did what, to what, and when), with the fields it changed and the text it quotes.
Record pages show these; the raw events stay on the administrators' audit-trail page."""

from compliance.audit_trail.readable.registry import codes, families, spec_for
from compliance.audit_trail.readable.render import (
    SPECIAL_ACTORS,
    Change,
    Line,
    describe,
    history_of,
)

__all__ = ["SPECIAL_ACTORS", "Change", "Line", "codes", "describe", "families", "history_of",
           "spec_for"]
