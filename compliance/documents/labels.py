"""The document domain's enumerations and their translated labels: forms, services, PDFs,
exports, evidence packs and templates import them from here."""

from flask_babel import lazy_gettext as _l

from compliance.documents.models import DOC_TYPES, MEANINGS, REVISION_STATES

__all__ = ["COPY_KIND_LABELS", "DOC_TYPES", "MEANINGS", "MEANING_LABELS", "OUTCOMES",
           "OUTCOME_LABELS", "RECALL_ANSWERS", "RECALL_ANSWER_LABELS", "REVIEW_CHOICES",
           "REVISION_STATES", "SIGN_CHOICES", "STATUS_LABELS", "TYPE_LABELS"]

TYPE_LABELS = {
    "manual": _l("Quality manual"), "policy": _l("Policy"), "procedure": _l("Procedure"),
    "work_instruction": _l("Work instruction"), "form": _l("Form"), "record": _l("Record"),
    "external": _l("External document"),
}
STATUS_LABELS = {
    "draft": _l("Draft"), "in_review": _l("In review"), "approved": _l("Approved"),
    "effective": _l("Effective"), "superseded": _l("Superseded"), "obsolete": _l("Obsolete"),
    "withdrawn": _l("Withdrawn"),
}
MEANING_LABELS = {"reviewed": _l("Reviewed"), "approved": _l("Approved"),
                  "rejected": _l("Rejected")}
# What a signer may choose on the signing form (a rejection has its own form).
SIGN_CHOICES = [("reviewed", _l("Reviewed")), ("approved", _l("Approved for use"))]

# Outcomes of a periodic review.
OUTCOMES = ("no_change", "revise")
OUTCOME_LABELS = {"no_change": _l("No change needed"), "revise": _l("Revise")}
REVIEW_CHOICES = [("no_change", _l("No change needed")),
                  ("revise", _l("Revise (opens a new draft)"))]

# Kinds of copy handed out, as the download log records them.
COPY_KIND_LABELS = {"controlled": _l("Controlled copy"), "original": _l("Original"),
                    "public": _l("Public copy")}

# What the holder of a superseded controlled copy did with it.
RECALL_ANSWERS = ("destroyed", "returned")
RECALL_ANSWER_LABELS = {"destroyed": _l("Destroyed"), "returned": _l("Returned")}
