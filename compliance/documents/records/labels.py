"""The translated labels of retention, disposition and holds (forms, pages, PDFs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, pgettext

from compliance.documents.records.models import BASES, DECISIONS, HOLD_SCOPES

__all__ = ["BASES", "BASIS_CHOICES", "DECISIONS", "DECISION_LABELS", "DISPOSITION_LABELS",
           "HOLD_SCOPES", "SCOPE_LABELS", "describe_rule"]

BASIS_CHOICES = [
    ("superseded", _l("Years after it stopped being in force (superseded or made obsolete)")),
    ("created", _l("Years after the end of the year it was created")),
    ("permanent", _l("Kept permanently")),
]
DECISION_LABELS = {"destroy": _l("Destroy"), "extend": _l("Keep longer"),
                   "transfer": _l("Transfer to the archive")}
# What became of a revision disposed of, as its page and the evidence packs say it.
DISPOSITION_LABELS = {"destroyed": _l("Destroyed"),
                      "transferred": _l("Transferred to the archive")}
SCOPE_LABELS = {"document": _l("A document"), "department": _l("A department's documents"),
                "audit": _l("The documents cited in an audit")}


def describe_rule(basis: str, years: int) -> str:
    """A rule in words: "5 years after it was superseded", "Permanent"."""
    if basis == "permanent":
        return pgettext("retention", "Permanent")
    if basis == "created":
        return ngettext("%(num)d year after the year of creation",
                        "%(num)d years after the year of creation", years)
    return ngettext("%(num)d year after it stopped being in force",
                    "%(num)d years after it stopped being in force", years)
