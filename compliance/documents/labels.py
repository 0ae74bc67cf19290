"""The document domain's enumerations and their translated labels: forms, services, PDFs,
exports, evidence packs and templates import them from here."""

from datetime import date

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

from compliance.core.locale import format_day
from compliance.documents.external import labels as external
from compliance.documents.models import DOC_TYPES, MEANINGS, REVISION_STATES, STEP_ROLES

__all__ = ["ACTIVE_CONTENT_LABELS", "COPY_KIND_LABELS", "DOC_TYPES", "EXTRA_REVIEW_LABEL",
           "FIELD_LABELS", "FIELD_VALUES", "JOB_RESULTS",
           "MEANINGS", "MEANING_LABELS", "OUTCOMES", "OUTCOME_LABELS", "RECALL_ANSWERS",
           "RECALL_ANSWER_LABELS", "REVIEW_CHOICES", "REVISION_STATES", "SIGN_CHOICES",
           "STATUS_LABELS", "STEP_MEANING_LABELS", "STEP_ROLES", "STEP_ROLE_LABELS",
           "TYPE_LABELS", "describe_active", "step_label"]

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
MEANING_LABELS = {"reviewed": _l("Reviewed"), "checked": _l("Checked"),
                  "approved": _l("Approved"), "rejected": _l("Rejected")}
# What a signer may choose on the signing form (a rejection has its own form); the page
# offers the meanings of the steps that await this signer (STEP_MEANING_LABELS).
SIGN_CHOICES = [("reviewed", _l("Reviewed")), ("approved", _l("Approved for use"))]

# What the signature of a step of an approval chain means, and who signs it.
STEP_MEANING_LABELS = {"reviewed": _l("Reviewed"), "checked": _l("Checked"),
                       "approved": _l("Approved for use")}
STEP_ROLE_LABELS = {"approver": _l("Approver of the department"),
                    "department_head": _l("Department head"),
                    "coordinator": _l("ISO coordinator")}
# A "reviewed" signature that answers no step (as before chains existed).
EXTRA_REVIEW_LABEL = _l("Reviewed (an extra signature, not a step of the chain)")

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

# Active content a PDF may hold (core.pdf.sanitise.KINDS), as the upload message and the
# revision list name it; every copy issued has it removed.
ACTIVE_CONTENT_LABELS = {
    "javascript": _l("JavaScript"),
    "launch": _l("actions that start a program or open another file"),
    "submit": _l("actions that send form data or import data"),
    "embedded_file": _l("embedded files"),
    "multimedia": _l("multimedia content"),
    "xfa": _l("an XFA form"),
}


def describe_active(kinds) -> str:
    """The kinds found, as one phrase in the reader's language ("JavaScript and embedded
    files")."""
    names = [str(ACTIVE_CONTENT_LABELS.get(kind, kind)) for kind in kinds]
    return format_list(names, locale=str(get_locale() or "en")) if names else ""


def step_label(meaning: str, role: str) -> str:
    """A step of an approval chain in the reader's language: "Reviewed — Department head"."""
    return f"{STEP_MEANING_LABELS.get(meaning, meaning)} — {STEP_ROLE_LABELS.get(role, role)}"


# How this domain's scheduled jobs report (documents/jobs.py), phrased when shown.
JOB_RESULTS = {
    "documents.activated": lambda p: ngettext(
        "%(num)d revision came into force", "%(num)d revisions came into force", p["count"]),
    "documents.disposition_due": lambda p: ngettext(
        "%(num)d revision due for disposition by %(by)s, %(held)d under legal hold",
        "%(num)d revisions due for disposition by %(by)s, %(held)d under legal hold",
        p["count"], by=format_day(date.fromisoformat(p["by"])), held=p["held"]),
}

# The fields of a document and of its revisions as its history names them (before → after);
# FIELD_VALUES: the labels of the enumerated ones.
FIELD_LABELS = {
    "code": _l("Code"), "type": _l("Type"), "department_id": _l("Department"),
    "title_vi": _l("Title (Vietnamese)"), "title_en": _l("Title (English)"),
    "owner_id": _l("Owner"), "status": _l("Status"),
    "review_interval_months": _l("Review interval (months)"),
    "next_review_date": _l("Next review"), "public": _l("Public register"),
    "clauses": _l("ISO clauses"), "readers": _l("Also read by"),
    "external_source": _l("Source"), "external_edition": _l("Edition"),
    "external_check_date": _l("Check for a newer edition on"), "label": _l("Revision"),
    "filename": _l("File"), "effective_date": _l("Effective date"),
    **external.FIELD_LABELS,
}
FIELD_VALUES = {"type": TYPE_LABELS, "doc_type": TYPE_LABELS, "status": STATUS_LABELS,
                "meaning": STEP_MEANING_LABELS, **external.FIELD_VALUES}
