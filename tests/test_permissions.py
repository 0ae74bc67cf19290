"""Every route × every role (and own vs other department) answers with the expected status."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import url_for

from compliance.core.http import RecordId
from tests.api.helpers import service_account_with_token
from tests.audits.helpers import AUDIT_STATE_FOR, audit_target
from tests.capa.helpers import CA_GRADE_FOR, CA_STATE_FOR, ca_ids
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents.helpers import (
    STATE_FOR,
    blank_pdf,
    document_target,
    external_target,
)
from tests.evidence.helpers import pack_target
from tests.installation.helpers import organisation_target
from tests.notifications.helpers import notification_target
from tests.page_browser import ALL_RULES, WORD_RULES, Shown, chromium, page_checker
from tests.page_checks import english_words, html_errors
from tests.quality.measures.helpers import measure_ids
from tests.quality.objectives.helpers import objective_ids
from tests.quality.risks.helpers import risk_target
from tests.reports.helpers import annual_target, review_ids
from tests.scope.helpers import scope_target
from tests.sso.helpers import sso_target
from tests.steering.helpers import steering_target
from tests.webhooks.helpers import webhook_target

# Files, not pages: no permission applies to them.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static", "assets"})
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
API_PREFIX = "/api/"
ROLES = ("anonymous", "admin", "coordinator", "department_head", "auditor", "staff")
# Names a careless template would turn into script; the inline-script scan reads every page
# of each role's walk for it, so the walk's world holds a department and a person so named.
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
# Each role's walk, kept for the rest of the process: the route matrix here and the
# inline-script scan below read the same answers instead of walking twice (one walk is some
# 10 s); scripts/test distributes by file, so both run on the worker that walked.
_WALKS: dict[tuple[str, str], list] = {}
# The page shapes (FORM_PARTS) the walks of this process have shown, by database kind.
_SHAPES: dict[str, set] = {}

# What a page's markup varies with between roles: its forms and their fields. A role's page
# whose forms are those another role's page of the same route already showed adds nothing
# for the page checkers to find (some 190 of 384 pages, and their share of its time).
FORM_PARTS = re.compile(rb'<form [^>]*action="[^"]*"|\sname="[^"]*"|<(?:select|textarea|button)\b')

L = "login"  # a redirect to the sign-in page
D = 400      # allowed, but the blank form sent by the walk is refused as invalid
C = 409      # allowed, but the blank edit form carries no version: refused as a conflict
# What a browser sends for a form submitted with nothing filled in. A body with no fields at
# all would make Flask-WTF fall back to the edited object's own values and save them as is.
BLANK_FORM = {"submit": "1"}

# (endpoint, method, target) -> expected answer for each role, in the order of ROLES.
# target "own": the department (or a process of it) where the head and staff are members;
# "other": a department none of them belongs to; None: the route names no department.
# Posts carry a blank form: allowed forms answer D and allowed actions 302. Allowed edit forms
# answer C: WTForms keeps the record's own value for each field a post leaves out, but never
# for the hidden version (core.forms.VersionField), and an edit without one is a conflict.
MATRIX: dict[tuple[str, str, str | None], tuple] = {
    #                                               anon admin coord head audit staff
    ("dashboard.home", "GET", None):                (L, 200, 200, 200, 200, 200),
    ("dashboard.monitoring", "GET", None):          (L, 200, 200, 200, 403, 403),
    ("search.results", "GET", None):                (L, 200, 200, 200, 200, 200),
    ("auth.login", "GET", None):                    (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST", None):                   (D, 302, 302, 302, 302, 302),
    ("auth.logout", "POST", None):                  (L, 302, 302, 302, 302, 302),
    ("auth.language", "POST", None):                (302, 302, 302, 302, 302, 302),
    ("auth.tokens.index", "GET", None):             (L, 200, 200, 200, 200, 200),
    ("auth.tokens.index", "POST", None):            (L, D, D, D, D, D),
    # The walk names a token of nobody's: a person revokes only their own.
    ("auth.tokens.revoke", "POST", None):           (L, 404, 404, 404, 404, 404),
    # Service accounts and every token of the organisation: administrators only.
    ("auth.service.create_account", "GET", None):   (L, 200, 403, 403, 403, 403),
    ("auth.service.create_account", "POST", None):  (L, D, 403, 403, 403, 403),
    ("auth.service.all_tokens", "GET", None):       (L, 200, 403, 403, 403, 403),
    ("auth.service.all_tokens", "POST", None):      (L, D, 403, 403, 403, 403),
    ("auth.service.revoke_token", "POST", None):    (L, 404, 403, 403, 403, 403),
    ("auth.account", "GET", None):                  (L, 200, 200, 200, 200, 200),
    ("auth.account", "POST", None):                 (L, D, D, D, D, D),
    ("auth.users.index", "GET", None):              (L, 200, 200, 200, 200, 403),
    ("auth.users.create", "GET", None):             (L, 200, 403, 403, 403, 403),
    ("auth.users.create", "POST", None):            (L, D, 403, 403, 403, 403),
    ("auth.users.detail", "GET", None):             (L, 200, 200, 200, 200, 403),
    ("auth.users.edit", "GET", None):               (L, 200, 403, 403, 403, 403),
    ("auth.users.edit", "POST", None):              (L, C, 403, 403, 403, 403),
    ("auth.users.add_membership", "POST", None):    (L, D, 403, 403, 403, 403),
    ("auth.users.remove_membership", "POST", None): (L, 302, 403, 403, 403, 403),
    ("auth.users.deactivate", "POST", None):        (L, 302, 403, 403, 403, 403),
    ("auth.users.reactivate", "POST", None):        (L, 302, 403, 403, 403, 403),
    ("auth.users.reset_password", "POST", None):    (L, D, 403, 403, 403, 403),
    # The walk's member has no second factor to remove.
    ("auth.users.reset_second_factor", "POST", None): (L, 409, 403, 403, 403, 403),
    # Single sign-on: the provider's round trip is not configured in the walk (404); the
    # mapping table is the administrator's.
    ("auth.sso.oidc_start", "GET", None):           (404, 404, 404, 404, 404, 404),
    ("auth.sso.oidc_callback", "GET", None):        (404, 404, 404, 404, 404, 404),
    ("auth.sso.oidc_reauth", "GET", None):          (L, 404, 404, 404, 404, 404),
    # The second factor: its sign-in step needs a password typed just before (else back to
    # the sign-in page); enrolment is everyone's own.
    ("auth.second_factor.code", "GET", None):       (302, 302, 302, 302, 302, 302),
    ("auth.second_factor.code", "POST", None):      (302, 302, 302, 302, 302, 302),
    ("auth.second_factor.enrol", "GET", None):      (L, 200, 200, 200, 200, 200),
    ("auth.second_factor.enrol", "POST", None):     (L, D, D, D, D, D),
    ("auth.second_factor.switch_off", "POST", None): (L, D, D, D, D, D),
    ("auth.sso_admin.mapping_index", "GET", None):  (L, 200, 403, 403, 403, 403),
    ("auth.sso_admin.mapping_index", "POST", None): (L, D, 403, 403, 403, 403),
    ("auth.sso_admin.mapping_edit", "GET", None):   (L, 200, 403, 403, 403, 403),
    ("auth.sso_admin.mapping_edit", "POST", None):  (L, C, 403, 403, 403, 403),
    ("auth.sso_admin.mapping_delete", "POST", None): (L, 302, 403, 403, 403, 403),
    ("org.departments", "GET", None):               (L, 200, 200, 200, 200, 403),
    ("org.department", "GET", "own"):               (L, 200, 200, 200, 200, 403),
    ("org.department", "GET", "other"):             (L, 200, 200, 200, 200, 403),
    ("org.create_department", "GET", None):         (L, 200, 403, 403, 403, 403),
    ("org.create_department", "POST", None):        (L, D, 403, 403, 403, 403),
    ("org.edit_department", "GET", "own"):          (L, 200, 403, 403, 403, 403),
    ("org.edit_department", "GET", "other"):        (L, 200, 403, 403, 403, 403),
    ("org.edit_department", "POST", "own"):         (L, C, 403, 403, 403, 403),
    ("org.edit_department", "POST", "other"):       (L, C, 403, 403, 403, 403),
    ("org.processes", "GET", None):                 (L, 200, 200, 200, 200, 403),
    ("org.create_process", "GET", None):            (L, 200, 200, 403, 403, 403),
    ("org.create_process", "POST", None):           (L, D, D, 403, 403, 403),
    ("org.edit_process", "GET", "own"):             (L, 200, 200, 403, 403, 403),
    ("org.edit_process", "GET", "other"):           (L, 200, 200, 403, 403, 403),
    ("org.edit_process", "POST", "own"):            (L, C, C, 403, 403, 403),
    ("org.edit_process", "POST", "other"):          (L, C, C, 403, 403, 403),
    # A process's page: every reader of processes, and the members of its department.
    ("org.process", "GET", "own"):                  (L, 200, 200, 200, 200, 200),
    ("org.process", "GET", "other"):                (L, 200, 200, 200, 200, 403),
    ("org.clause_catalogue", "GET", None):          (L, 200, 200, 200, 200, 200),
    ("audit_trail.index", "GET", None):             (L, 200, 200, 403, 200, 403),
    ("audit_trail.verify", "GET", None):            (L, 200, 200, 403, 200, 403),
    ("documents.register", "GET", None):            (L, 200, 200, 200, 200, 200),
    ("documents.export_register", "GET", None):     (L, 200, 200, 200, 200, 200),
    ("documents.create", "GET", None):              (L, 200, 200, 200, 403, 403),
    ("documents.create", "POST", None):             (L, D, D, D, 403, 403),
    ("documents.detail", "GET", "own"):             (L, 200, 200, 200, 200, 200),
    ("documents.detail", "GET", "other"):           (L, 200, 200, 200, 200, 403),
    ("documents.edit", "GET", "own"):               (L, 200, 200, 200, 403, 403),
    ("documents.edit", "GET", "other"):             (L, 200, 200, 403, 403, 403),
    ("documents.edit", "POST", "own"):              (L, C, C, C, 403, 403),
    ("documents.edit", "POST", "other"):            (L, C, C, 403, 403, 403),
    ("documents.revisions.upload", "GET", "own"):   (L, 200, 200, 200, 403, 403),
    ("documents.revisions.upload", "GET", "other"): (L, 200, 200, 403, 403, 403),
    ("documents.revisions.upload", "POST", "own"):  (L, D, D, D, 403, 403),
    ("documents.revisions.upload", "POST", "other"): (L, D, D, 403, 403, 403),
    ("documents.revisions.submit", "POST", "own"):  (L, 302, 302, 302, 403, 403),
    ("documents.revisions.submit", "POST", "other"): (L, 302, 302, 403, 403, 403),
    ("documents.revisions.withdraw", "POST", "own"): (L, 302, 302, 302, 403, 403),
    ("documents.revisions.withdraw", "POST", "other"): (L, 302, 302, 403, 403, 403),
    ("documents.revisions.sign", "GET", "own"):     (L, 200, 200, 200, 403, 403),
    ("documents.revisions.sign", "GET", "other"):   (L, 200, 200, 403, 403, 403),
    ("documents.revisions.sign", "POST", "own"):    (L, D, D, D, 403, 403),
    ("documents.revisions.sign", "POST", "other"):  (L, D, D, 403, 403, 403),
    ("documents.revisions.reject", "POST", "own"):  (L, D, D, D, 403, 403),
    ("documents.revisions.reject", "POST", "other"): (L, D, D, 403, 403, 403),
    ("documents.revisions.acknowledge", "POST", "own"): (L, 404, 404, 302, 404, 302),
    ("documents.revisions.acknowledge", "POST", "other"): (L, 404, 404, 404, 404, 404),
    ("documents.revisions.download", "GET", "own"): (L, 200, 200, 200, 200, 200),
    ("documents.revisions.download", "GET", "other"): (L, 200, 200, 200, 200, 403),
    ("documents.revisions.original", "GET", "own"): (L, 200, 200, 403, 403, 403),
    ("documents.reading.review", "POST", "own"):    (L, D, D, D, 403, 403),
    ("documents.reading.review", "POST", "other"):  (L, D, D, 403, 403, 403),
    ("documents.reading.obsolete", "POST", "own"):  (L, D, D, 403, 403, 403),
    ("documents.reading.reinstate", "POST", "own"): (L, D, D, 403, 403, 403),
    # Approval chains: every type's, read by those who read the history; a type's chain and a
    # document's own (with a reason) changed by coordinators. The blank post of a type's
    # chain carries no version (C); a document's lacks its reason (D).
    ("documents.chains.index", "GET", None):        (L, 200, 200, 403, 200, 403),
    ("documents.chains.edit_type", "GET", None):    (L, 200, 200, 403, 403, 403),
    ("documents.chains.edit_type", "POST", None):   (L, C, C, 403, 403, 403),
    ("documents.chains.document_chain", "GET", "own"): (L, 200, 200, 403, 403, 403),
    ("documents.chains.document_chain", "GET", "other"): (L, 200, 200, 403, 403, 403),
    ("documents.chains.document_chain", "POST", "own"): (L, D, D, 403, 403, 403),
    ("documents.chains.document_chain", "POST", "other"): (L, D, D, 403, 403, 403),
    # Comparing: the chooser for whoever opens the document (one revision: nothing to pick).
    ("documents.compare.revisions", "GET", "own"):  (L, 200, 200, 200, 200, 200),
    ("documents.compare.revisions", "GET", "other"): (L, 200, 200, 200, 200, 403),
    ("documents.reading.reviews_due", "GET", None): (L, 200, 200, 200, 200, 200),
    ("documents.reading.to_read", "GET", None):     (L, 200, 200, 200, 200, 200),
    ("documents.reading.coverage", "GET", None):    (L, 200, 200, 403, 403, 403),
    # One's own copies of superseded revisions; someone else's recall is not found.
    ("documents.reading.old_copies", "GET", None):  (L, 200, 200, 200, 200, 200),
    ("documents.reading.answer_copy", "POST", "own"): (L, D, D, D, D, D),
    ("documents.reading.answer_copy", "POST", "other"): (L, 404, 404, 404, 404, 404),
    # Retention and legal holds: coordinators decide; auditors read the rules and the holds.
    ("documents.retention.due", "GET", None):       (L, 200, 200, 403, 403, 403),
    ("documents.retention.dispose", "GET", "own"):  (L, 200, 200, 403, 403, 403),
    ("documents.retention.dispose", "POST", "own"): (L, D, D, 403, 403, 403),
    ("documents.retention.rules", "GET", None):     (L, 200, 200, 403, 200, 403),
    ("documents.retention.edit_rule", "GET", None): (L, 200, 200, 403, 403, 403),
    ("documents.retention.edit_rule", "POST", None): (L, C, C, 403, 403, 403),
    ("documents.retention.document_rule", "POST", "own"): (L, D, D, 403, 403, 403),
    ("documents.holds.holds", "GET", None):         (L, 200, 200, 403, 200, 403),
    # The register of external documents: kept by coordinators, read by every reader.
    ("documents.external.index", "GET", None):      (L, 200, 200, 200, 200, 200),
    ("documents.external.create", "GET", None):     (L, 200, 200, 403, 403, 403),
    ("documents.external.create", "POST", None):    (L, D, D, 403, 403, 403),
    ("documents.external.page", "GET", "own"):      (L, 200, 200, 200, 200, 200),
    ("documents.external.page", "GET", "other"):    (L, 200, 200, 200, 200, 404),
    ("documents.external.page", "POST", "own"):     (L, C, C, 403, 403, 403),
    ("documents.external.page", "POST", "other"):   (L, C, C, 403, 403, 404),
    ("documents.holds.place_hold", "GET", None):    (L, 200, 200, 403, 403, 403),
    ("documents.holds.place_hold", "POST", None):   (L, D, D, 403, 403, 403),
    ("documents.holds.hold", "GET", None):          (L, 200, 200, 403, 200, 403),
    ("documents.holds.lift_hold", "POST", None):    (L, D, D, 403, 403, 403),
    ("public.register", "GET", None):               (200, 200, 200, 200, 200, 200),
    ("public.download", "GET", None):               (200, 200, 200, 200, 200, 200),
    ("public.organisation_register", "GET", None):  (200, 200, 200, 200, 200, 200),
    ("public.organisation_download", "GET", None):  (200, 200, 200, 200, 200, 200),
    # No organisation of the walk has a logo.
    ("public.logo", "GET", None):                   (404, 404, 404, 404, 404, 404),
    # The annual report: written by coordinators, read by auditors too, signed by the person
    # named (in the walk, none of the walkers).
    ("reports.annual.index", "GET", None):          (L, 200, 200, 403, 200, 403),
    ("reports.annual.draft", "POST", None):         (L, D, D, 403, 403, 403),
    ("reports.annual.template", "GET", None):       (L, 200, 200, 403, 200, 403),
    ("reports.annual.template", "POST", None):      (L, D, D, 403, 403, 403),
    ("reports.annual.page", "GET", None):           (L, 200, 200, 403, 200, 403),
    ("reports.annual.page", "POST", None):          (L, D, D, 403, 403, 403),
    ("reports.annual.sign", "POST", None):          (L, 403, 403, 403, 403, 403),
    ("reports.annual.pdf", "GET", None):            (L, 200, 200, 403, 200, 403),
    # The steering committee and the yearly plan: kept by coordinators, read as the scope is.
    ("steering.index", "GET", None):                (L, 200, 200, 200, 200, 403),
    ("steering.create_member", "GET", None):        (L, 200, 200, 403, 403, 403),
    ("steering.create_member", "POST", None):       (L, D, D, 403, 403, 403),
    ("steering.member", "GET", None):               (L, 200, 200, 200, 200, 403),
    ("steering.member", "POST", None):              (L, C, C, 403, 403, 403),
    ("steering.create_task", "GET", None):          (L, 200, 200, 403, 403, 403),
    ("steering.create_task", "POST", None):         (L, D, D, 403, 403, 403),
    ("steering.task", "GET", None):                 (L, 200, 200, 200, 200, 403),
    ("steering.task", "POST", None):                (L, C, C, 403, 403, 403),
    # No announcement is issued in the walk's world: nothing to post.
    ("public.announcement_pdf", "GET", None):       (404, 404, 404, 404, 404, 404),
    # Nobody of the walk administers the installation or holds a grant of oversight; an
    # organisation's administrator says who oversees it (installation.grant and .revoke).
    ("installation.index", "GET", None):            (L, 403, 403, 403, 403, 403),
    ("installation.create", "GET", None):           (L, 403, 403, 403, 403, 403),
    ("installation.create", "POST", None):          (L, 403, 403, 403, 403, 403),
    ("installation.detail", "GET", None):           (L, 403, 403, 403, 403, 403),
    ("installation.edit", "GET", None):             (L, 403, 403, 403, 403, 403),
    ("installation.edit", "POST", None):            (L, 403, 403, 403, 403, 403),
    ("installation.add_admin", "POST", None):       (L, 403, 403, 403, 403, 403),
    ("installation.grant", "POST", None):           (L, D, 403, 403, 403, 403),
    ("installation.revoke", "POST", None):          (L, 302, 403, 403, 403, 403),
    ("oversight.index", "GET", None):               (L, 403, 403, 403, 403, 403),
    ("oversight.organisation", "GET", None):        (L, 404, 404, 404, 404, 404),
    ("oversight.document", "GET", None):            (L, 404, 404, 404, 404, 404),
    ("oversight.audit", "GET", None):               (L, 404, 404, 404, 404, 404),
    ("oversight.corrective_action", "GET", None):   (L, 404, 404, 404, 404, 404),
    ("oversight.grants", "GET", None):              (L, 200, 403, 403, 403, 403),
    ("audits.index", "GET", None):                  (L, 200, 200, 200, 200, 403),
    ("audits.create_programme", "GET", None):       (L, 200, 200, 403, 403, 403),
    ("audits.create_programme", "POST", None):      (L, D, D, 403, 403, 403),
    ("audits.programme", "GET", None):              (L, 200, 200, 403, 200, 403),
    ("audits.plan", "GET", None):                   (L, 200, 200, 403, 403, 403),
    ("audits.plan", "POST", None):                  (L, D, D, 403, 403, 403),
    ("audits.edit", "GET", "own"):                  (L, 200, 200, 403, 403, 403),
    ("audits.edit", "POST", "own"):                 (L, C, C, 403, 403, 403),
    ("audits.edit_programme", "GET", None):         (L, 200, 200, 403, 403, 403),
    ("audits.edit_programme", "POST", None):        (L, C, C, 403, 403, 403),
    ("audits.cancel", "POST", "own"):               (L, D, D, 403, 403, 403),
    ("audits.reschedule", "POST", "own"):           (L, D, D, 403, 403, 403),
    ("audits.findings.set_due", "POST", "own"):     (L, D, D, 403, 403, 403),
    ("audits.findings.respond", "POST", "own"):     (L, D, D, D, 403, 403),
    ("audits.conduct.detail", "GET", "own"):               (L, 200, 200, 200, 200, 403),
    ("audits.conduct.detail", "GET", "other"):             (L, 200, 200, 403, 200, 403),
    ("audits.conduct.start", "POST", "own"):               (L, 302, 302, 403, 403, 403),
    ("audits.conduct.add_item", "POST", "own"):            (L, D, D, 403, 403, 403),
    ("audits.conduct.result", "POST", "own"):              (L, D, D, 403, 403, 403),
    ("audits.conduct.document_evidence", "POST", "own"):   (L, D, D, 403, 403, 403),
    ("audits.conduct.file_evidence", "POST", "own"):       (L, D, D, 403, 403, 403),
    ("audits.conduct.evidence_file", "GET", "own"):        (L, 200, 200, 200, 200, 403),
    ("audits.conduct.evidence_file", "GET", "other"):      (L, 200, 200, 403, 200, 403),
    ("audits.conduct.finding", "POST", "own"):             (L, D, D, 403, 403, 403),
    ("audits.conduct.meeting", "POST", "own"):             (L, D, D, 403, 403, 403),
    ("audits.conduct.sign_report", "POST", "own"):         (L, 403, 403, 403, 403, 403),
    ("audits.conduct.close", "POST", "own"):               (L, 302, 302, 403, 403, 403),
    ("audits.conduct.report_pdf", "GET", "own"):           (L, 200, 200, 200, 200, 403),
    ("audits.conduct.report_pdf", "GET", "other"):         (L, 200, 200, 403, 200, 403),
    ("audits.questions.index", "GET", None):               (L, 200, 200, 403, 403, 403),
    ("audits.questions.create", "POST", None):             (L, D, D, 403, 403, 403),
    ("audits.questions.edit", "GET", None):                (L, 200, 200, 403, 403, 403),
    # A blank post sends no version: refused as stale rather than saved over someone's edit.
    ("audits.questions.edit", "POST", None):               (L, C, C, 403, 403, 403),
    ("audits.grades.grades", "GET", None):                 (L, 200, 200, 403, 403, 403),
    ("audits.grades.edit_grade", "GET", None):             (L, 200, 200, 403, 403, 403),
    ("audits.grades.edit_grade", "POST", None):            (L, C, C, 403, 403, 403),
    ("capa.register", "GET", None):                 (L, 200, 200, 200, 200, 200),
    ("capa.export_register", "GET", None):          (L, 200, 200, 200, 200, 200),
    ("capa.create", "GET", None):                   (L, 200, 200, 200, 403, 403),
    ("capa.create", "POST", None):                  (L, D, D, D, 403, 403),
    ("capa.detail", "GET", "own"):                  (L, 200, 200, 200, 200, 200),
    ("capa.detail", "GET", "other"):                (L, 200, 200, 403, 200, 403),
    ("capa.analysis.contain", "POST", "own"):       (L, D, D, D, 403, 403),
    ("capa.analysis.contain", "POST", "other"):     (L, D, D, 403, 403, 403),
    ("capa.analysis.analyse", "POST", "own"):       (L, D, D, D, 403, 403),
    ("capa.analysis.analyse", "POST", "other"):     (L, D, D, 403, 403, 403),
    ("capa.actions.add", "POST", "own"):            (L, D, D, D, 403, 403),
    ("capa.actions.add", "POST", "other"):          (L, D, D, 403, 403, 403),
    ("capa.actions.complete", "POST", "own"):       (L, 302, 302, 302, 403, 302),
    ("capa.actions.complete", "POST", "other"):     (L, 302, 302, 403, 403, 403),
    ("capa.actions.edit", "POST", "own"):           (L, D, D, D, 403, 403),
    ("capa.actions.edit", "POST", "other"):         (L, D, D, 403, 403, 403),
    ("capa.actions.reschedule", "POST", "own"):     (L, D, D, D, 403, 403),
    ("capa.actions.reschedule", "POST", "other"):   (L, D, D, 403, 403, 403),
    ("capa.actions.reassign", "POST", "own"):       (L, D, D, D, 403, 403),
    ("capa.actions.reassign", "POST", "other"):     (L, D, D, 403, 403, 403),
    ("capa.actions.cancel", "POST", "own"):         (L, D, D, D, 403, 403),
    ("capa.actions.cancel", "POST", "other"):       (L, D, D, 403, 403, 403),
    ("capa.verification.record_check", "POST", "own"): (L, D, D, 403, 403, 403),
    ("capa.verification.record_check", "POST", "other"): (L, D, D, 403, 403, 403),
    ("capa.verification.close", "POST", "own"):     (L, C, C, 403, 403, 403),
    ("capa.verification.close", "POST", "other"):   (L, C, C, 403, 403, 403),
    ("capa.verification.decide", "POST", "own"):    (L, D, D, D, 403, 403),
    ("capa.verification.decide", "POST", "other"):  (L, D, D, 403, 403, 403),
    ("capa.files.upload", "POST", "own"):           (L, D, D, D, 403, 403),
    ("capa.files.upload", "POST", "other"):         (L, D, D, 403, 403, 403),
    ("capa.files.download", "GET", "own"):          (L, 200, 200, 200, 200, 200),
    ("capa.files.download", "GET", "other"):        (L, 200, 200, 403, 200, 403),
    # Quality objectives: heads manage their department's, owners mark their plan items
    # (staff own the item of "own"), auditors read all; a blank done / not-done carries no
    # version (or the item is not done): refused as a conflict.
    ("quality.objectives.index", "GET", None):      (L, 200, 200, 200, 200, 200),
    # A department's quality page: read by those who read its objectives or its risks.
    ("quality.overview.department", "GET", "own"):  (L, 200, 200, 200, 200, 200),
    ("quality.overview.department", "GET", "other"): (L, 200, 200, 403, 200, 403),
    ("quality.objectives.create", "GET", None):     (L, 200, 200, 200, 403, 403),
    ("quality.objectives.create", "POST", None):    (L, D, D, D, 403, 403),
    ("quality.objectives.copy", "GET", None):       (L, 200, 200, 200, 403, 403),
    ("quality.objectives.copy", "POST", None):      (L, D, D, D, 403, 403),
    ("quality.objectives.detail", "GET", "own"):    (L, 200, 200, 200, 200, 200),
    ("quality.objectives.detail", "GET", "other"):  (L, 200, 200, 403, 200, 403),
    ("quality.objectives.edit", "GET", "own"):      (L, 200, 200, 200, 403, 403),
    ("quality.objectives.edit", "GET", "other"):    (L, 200, 200, 403, 403, 403),
    ("quality.objectives.edit", "POST", "own"):     (L, D, D, D, 403, 403),
    ("quality.objectives.edit", "POST", "other"):   (L, D, D, 403, 403, 403),
    ("quality.objectives.delete", "POST", "own"):   (L, C, C, C, 403, 403),
    ("quality.objectives.delete", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.objectives.delete_item", "POST", "own"): (L, C, C, C, 403, 403),
    ("quality.objectives.delete_item", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.objectives.add_item", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.objectives.add_item", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.objectives.edit_item", "GET", "own"): (L, 200, 200, 200, 403, 403),
    ("quality.objectives.edit_item", "GET", "other"): (L, 200, 200, 403, 403, 403),
    ("quality.objectives.edit_item", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.objectives.edit_item", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.objectives.complete_item", "POST", "own"): (L, C, C, C, 403, C),
    ("quality.objectives.complete_item", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.objectives.reopen_item", "POST", "own"): (L, C, C, C, 403, C),
    ("quality.objectives.reopen_item", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.objectives.progress", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.objectives.progress", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.objectives.evaluate", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.objectives.evaluate", "POST", "other"): (L, D, D, 403, 403, 403),
    # Context and interested parties: kept by coordinators, not read by staff.
    ("quality.context.index", "GET", None):         (L, 200, 200, 200, 200, 403),
    ("quality.context.create_issue", "GET", None):  (L, 200, 200, 403, 403, 403),
    ("quality.context.create_issue", "POST", None): (L, D, D, 403, 403, 403),
    ("quality.context.issue", "GET", None):         (L, 200, 200, 200, 200, 403),
    ("quality.context.edit_issue", "POST", None):   (L, D, D, 403, 403, 403),
    ("quality.context.review_issue", "POST", None): (L, D, D, 403, 403, 403),
    ("quality.context.create_party", "GET", None):  (L, 200, 200, 403, 403, 403),
    ("quality.context.create_party", "POST", None): (L, D, D, 403, 403, 403),
    ("quality.context.party", "GET", None):         (L, 200, 200, 200, 200, 403),
    ("quality.context.edit_party", "POST", None):   (L, D, D, 403, 403, 403),
    ("quality.context.review_party", "POST", None): (L, D, D, 403, 403, 403),
    # The scope register: kept by coordinators, not read by staff.
    ("scope.index", "GET", None):                   (L, 200, 200, 200, 200, 403),
    ("scope.create", "GET", None):                  (L, 200, 200, 403, 403, 403),
    ("scope.create", "POST", None):                 (L, D, D, 403, 403, 403),
    ("scope.edit", "GET", None):                    (L, 200, 200, 200, 200, 403),
    ("scope.edit", "POST", None):                   (L, C, C, 403, 403, 403),
    ("scope.handling.index", "GET", None):          (L, 200, 200, 200, 200, 403),
    ("scope.handling.import_months", "POST", None): (L, D, D, 403, 403, 403),
    ("scope.announcements.index", "GET", None):     (L, 200, 200, 200, 200, 403),
    ("scope.announcements.draft", "POST", None):    (L, 302, 302, 403, 403, 403),
    ("scope.announcements.page", "GET", None):      (L, 200, 200, 200, 200, 403),
    ("scope.announcements.page", "POST", None):     (L, D, D, 403, 403, 403),
    ("scope.announcements.pdf", "GET", None):       (L, 200, 200, 200, 200, 403),
    # Signed only by the person the draft names: nobody of the walk.
    ("scope.announcements.sign", "POST", None):     (L, 403, 403, 403, 403, 403),
    # Notifications: everyone has their own; someone else's is not found, not forbidden.
    ("notifications.index", "GET", None):           (L, 200, 200, 200, 200, 200),
    ("notifications.open_notification", "POST", "own"): (L, 302, 302, 302, 302, 302),
    ("notifications.open_notification", "POST", "other"): (L, 404, 404, 404, 404, 404),
    ("notifications.mark_read", "POST", "own"):     (L, 302, 302, 302, 302, 302),
    ("notifications.mark_read", "POST", "other"):   (L, 404, 404, 404, 404, 404),
    ("notifications.mark_all_read", "POST", None):  (L, 302, 302, 302, 302, 302),
    ("notifications.settings", "GET", None):        (L, 200, 200, 200, 200, 200),
    ("notifications.settings", "POST", None):       (L, 302, 302, 302, 302, 302),
    ("notifications.scheduler.index_page", "GET", None): (L, 200, 200, 403, 403, 403),
    ("notifications.scheduler.retry", "POST", None): (L, 302, 302, 403, 403, 403),
    ("reports.index", "GET", None):                 (L, 200, 200, 200, 200, 403),
    ("reports.organisation", "GET", None):          (L, 200, 200, 403, 200, 403),
    ("reports.department", "GET", "own"):           (L, 200, 200, 200, 200, 403),
    ("reports.department", "GET", "other"):         (L, 200, 200, 403, 200, 403),
    ("reports.organisation_pdf", "GET", None):      (L, 200, 200, 403, 200, 403),
    ("reports.department_pdf", "GET", "own"):       (L, 200, 200, 200, 200, 403),
    ("reports.department_pdf", "GET", "other"):     (L, 200, 200, 403, 200, 403),
    ("reports.save_notes", "POST", None):           (L, D, D, 403, 403, 403),
    ("reports.reviews.index", "GET", None):         (L, 200, 200, 403, 200, 403),
    ("reports.reviews.create", "GET", None):        (L, 200, 200, 403, 403, 403),
    ("reports.reviews.create", "POST", None):       (L, D, D, 403, 403, 403),
    ("reports.reviews.detail", "GET", None):        (L, 200, 200, 403, 200, 403),
    ("reports.reviews.add_action", "POST", None):   (L, D, D, 403, 403, 403),
    ("reports.reviews.update_action", "POST", None): (L, D, D, 403, 403, 403),
    ("reports.reviews.input_pack", "GET", None):    (L, 200, 200, 403, 200, 403),
    ("evidence.index", "GET", None):                (L, 200, 200, 200, 200, 403),
    ("evidence.build", "POST", None):               (L, D, D, D, D, 403),
    ("evidence.detail", "GET", "own"):              (L, 200, 200, 200, 200, 403),
    ("evidence.detail", "GET", "other"):            (L, 200, 200, 403, 200, 403),
    ("evidence.status", "GET", "own"):              (L, 200, 200, 200, 200, 403),
    ("evidence.status", "GET", "other"):            (L, 200, 200, 403, 200, 403),
    ("evidence.download", "GET", "own"):            (L, 200, 200, 200, 200, 403),
    ("evidence.download", "GET", "other"):          (L, 200, 200, 403, 200, 403),
    ("evidence.share", "POST", "own"):              (L, D, D, D, D, 403),
    ("evidence.share", "POST", "other"):            (L, D, D, 403, D, 403),
    ("evidence.revoke", "POST", "own"):             (L, 302, 302, 302, 302, 403),
    ("evidence.revoke", "POST", "other"):           (L, 302, 302, 403, 302, 403),
    # Packs across organisations are an overseer's; nobody of the walk oversees any.
    ("evidence.subtree.index", "GET", None):        (L, 403, 403, 403, 403, 403),
    ("evidence.subtree.build", "POST", None):       (L, 403, 403, 403, 403, 403),
    ("evidence.verify", "GET", None):               (L, 200, 200, 200, 200, 403),
    ("evidence.verify", "POST", None):              (L, D, D, D, D, 403),
    ("evidence.verification", "GET", None):         (L, 200, 200, 403, 200, 403),
    # Measures: coordinators manage all, heads their department's, auditors read all, staff
    # read their department's (the walker records none of these measures).
    ("quality.measures.index", "GET", None):        (L, 200, 200, 200, 200, 200),
    ("quality.measures.create", "GET", None):       (L, 200, 200, 200, 403, 403),
    ("quality.measures.create", "POST", None):      (L, D, D, D, 403, 403),
    ("quality.measures.detail", "GET", "own"):      (L, 200, 200, 200, 200, 200),
    ("quality.measures.detail", "GET", "other"):    (L, 200, 200, 403, 200, 403),
    ("quality.measures.edit", "GET", "own"):        (L, 200, 200, 200, 403, 403),
    ("quality.measures.edit", "GET", "other"):      (L, 200, 200, 403, 403, 403),
    ("quality.measures.edit", "POST", "own"):       (L, C, C, C, 403, 403),
    ("quality.measures.edit", "POST", "other"):     (L, C, C, 403, 403, 403),
    ("quality.measures.record", "POST", "own"):     (L, D, D, D, 403, 403),
    ("quality.measures.record", "POST", "other"):   (L, D, D, 403, 403, 403),
    ("quality.measures.value", "GET", "own"):       (L, 200, 200, 200, 200, 200),
    ("quality.measures.value", "GET", "other"):     (L, 200, 200, 403, 200, 403),
    ("quality.measures.evidence", "GET", "own"):    (L, 200, 200, 200, 200, 200),
    ("quality.measures.evidence", "GET", "other"):  (L, 200, 200, 403, 200, 403),
    ("quality.measures.raise_corrective_action", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.measures.raise_corrective_action", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.measures.import_values", "GET", None): (L, 200, 200, 200, 403, 403),
    ("quality.measures.import_values", "POST", None): (L, D, D, D, 403, 403),
    # The walker's own import (a coordinator's for those who may not import).
    ("quality.measures.preview", "GET", "own"):     (L, 200, 200, 200, 403, 403),
    ("quality.measures.confirm", "POST", "own"):    (L, 302, 302, 302, 403, 403),
    ("evidence.shared.view", "GET", None):          (200, 200, 200, 200, 200, 200),
    ("evidence.shared.download", "GET", None):      (200, 200, 200, 200, 200, 200),
    # Risks and opportunities: heads manage their own department's, staff read theirs and
    # mark their own treatment actions done, auditors read all, coordinators set the scale.
    ("quality.risks.register", "GET", None):        (L, 200, 200, 200, 200, 200),
    ("quality.risks.heat_map", "GET", None):        (L, 200, 200, 200, 200, 200),
    ("quality.risks.create", "GET", None):          (L, 200, 200, 200, 403, 403),
    ("quality.risks.create", "POST", None):         (L, D, D, D, 403, 403),
    ("quality.risks.scale", "GET", None):           (L, 200, 200, 403, 403, 403),
    ("quality.risks.scale", "POST", None):          (L, D, D, 403, 403, 403),
    ("quality.risks.detail", "GET", "own"):         (L, 200, 200, 200, 200, 200),
    ("quality.risks.detail", "GET", "other"):       (L, 200, 200, 403, 200, 403),
    ("quality.risks.edit", "GET", "own"):           (L, 200, 200, 200, 403, 403),
    ("quality.risks.edit", "GET", "other"):         (L, 200, 200, 403, 403, 403),
    ("quality.risks.edit", "POST", "own"):          (L, C, C, C, 403, 403),
    ("quality.risks.edit", "POST", "other"):        (L, C, C, 403, 403, 403),
    ("quality.risks.change_status", "POST", "own"): (L, D, D, D, 403, 403),
    ("quality.risks.change_status", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.risks.review", "POST", "own"):        (L, D, D, D, 403, 403),
    ("quality.risks.review", "POST", "other"):      (L, D, D, 403, 403, 403),
    ("quality.risks.add_action", "POST", "own"):    (L, D, D, D, 403, 403),
    ("quality.risks.add_action", "POST", "other"):  (L, D, D, 403, 403, 403),
    ("quality.risks.edit_action", "GET", "own"):    (L, 200, 200, 200, 403, 403),
    ("quality.risks.edit_action", "GET", "other"):  (L, 200, 200, 403, 403, 403),
    ("quality.risks.edit_action", "POST", "own"):   (L, D, D, D, 403, 403),
    ("quality.risks.edit_action", "POST", "other"): (L, D, D, 403, 403, 403),
    ("quality.risks.delete_action", "POST", "own"): (L, C, C, C, 403, 403),
    ("quality.risks.delete_action", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.risks.complete_action", "POST", "own"): (L, C, C, C, 403, C),
    ("quality.risks.complete_action", "POST", "other"): (L, C, C, 403, 403, 403),
    ("quality.risks.add_link", "POST", "own"):      (L, D, D, D, 403, 403),
    ("quality.risks.add_link", "POST", "other"):    (L, D, D, 403, 403, 403),
    ("quality.risks.answer_ca", "POST", "own"):     (L, D, D, D, 403, 403),
    ("quality.risks.answer_ca", "POST", "other"):   (L, D, D, 403, 403, 403),
    # Webhooks: the organisation's administrators only.
    ("webhooks.index", "GET", None):                (L, 200, 403, 403, 403, 403),
    ("webhooks.create", "GET", None):               (L, 200, 403, 403, 403, 403),
    ("webhooks.create", "POST", None):              (L, D, 403, 403, 403, 403),
    ("webhooks.detail", "GET", None):               (L, 200, 403, 403, 403, 403),
    ("webhooks.edit", "GET", None):                 (L, 200, 403, 403, 403, 403),
    ("webhooks.edit", "POST", None):                (L, D, 403, 403, 403, 403),
    ("webhooks.deactivate", "POST", None):          (L, 302, 403, 403, 403, 403),
    ("webhooks.redeliver", "POST", None):           (L, 302, 403, 403, 403, 403),
}


def routes(app) -> list[tuple[str, str]]:
    """Every (endpoint, method) the app answers, static files and /api/ aside: the API's
    own matrix (tests/api/test_api_matrix.py) covers every /api/ route, and fails on one
    without a row there."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in STATIC_ENDPOINTS and not rule.rule.startswith(API_PREFIX):
            found.update((rule.endpoint, m) for m in rule.methods - IGNORED_METHODS)
    return sorted(found)


def _targets(app, make, user, role: str, endpoint: str = "",
             keys=("own", "other")) -> dict[str, SimpleNamespace]:
    """Fresh rows for the URLs of one endpoint (the targets named in `keys` only), so no
    endpoint sees another's changes."""
    from compliance.auth.models import Membership
    from compliance.core.extensions import db

    own, other = make.department(), make.department()
    # A real address: the form's e-mail check refuses special-use domains such as .test.
    member = make.user(email=f"member{other.id}@example.com",
                       departments=[(other.id, "staff")])
    with app.app_context():
        if role in ("department_head", "staff"):
            db.session.add(Membership(user_id=user.id, department_id=own.id, role=role))
            db.session.commit()
        membership_id = db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == member.id))
    departments = {"own": own, "other": other}
    targets = {}
    for key, dept in departments.items():
        if key not in keys:
            continue
        state = STATE_FOR.get(endpoint, "effective")
        # Members of the department in force are asked to read it, as the service would do.
        readers = [user.id] if role in ("department_head", "staff") and key == "own" \
            and state == "effective" else []
        # Readers have opened the copy, so confirming their reading is allowed; the walker
        # (or, for "other", someone else) holds a recalled copy of the revision.
        holder = user.id if key == "own" and user is not None else member.id
        document = document_target(app, dept.id, member.id, state, readers=readers,
                                   opened=readers, holders=[holder])
        audit = SimpleNamespace()
        if endpoint.split(".")[0] in ("audits", "conduct", "questions", "grades") or \
                endpoint == "oversight.audit":
            audit = audit_target(app, make, dept.id, AUDIT_STATE_FOR.get(endpoint, "in_progress"))
        # Staff take part in corrective actions through the actions assigned to them.
        ca = ca_ids(app, make, endpoint, dept.id,
                    owner_id=user.id if role == "staff" and key == "own" else None)
        notes = notification_target(app, endpoint, user.id if user else None, member.id, key)
        quality = objective_ids(app, make, endpoint, dept.id,
                                owner_id=user.id if role == "staff" and key == "own" else None)
        # Staff take part in a risk's treatment through the actions assigned to them.
        risk = risk_target(app, make, endpoint, dept.id,
                           owner_id=user.id if role == "staff" and key == "own" else None)
        pack = SimpleNamespace()
        if endpoint.split(".")[0] in ("evidence", "shared"):
            pack = pack_target(app, dept.id, member.id)
        targets[key] = SimpleNamespace(department_id=dept.id, user_id=member.id,
                                       process_id=make.process(dept.id).id,
                                       membership_id=membership_id, fmt="csv",
                                       token_id=10**6,
                                       **vars(document), **vars(audit), **vars(ca),
                                       **vars(notes), **vars(review_ids(app, make, endpoint)),
                                       **vars(pack), **vars(quality), **vars(risk),
                                       **vars(organisation_target(app, endpoint, dept.id)),
                                       **vars(scope_target(app, make, endpoint, dept.id)),
                                       **vars(external_target(app, endpoint, dept.id,
                                                              member.id)),
                                       **vars(annual_target(app, make, endpoint)),
                                       **vars(steering_target(app, make, endpoint)),
                                       **vars(measure_ids(app, make, endpoint, dept.id, user)),
                                       **vars(webhook_target(app, make, endpoint)),
                                       **vars(sso_target(app, endpoint)))
    return targets


def trail_length(app) -> int:
    """How many events the audit trail holds."""
    from compliance.audit_trail.models import AuditEvent
    from compliance.core.extensions import db

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))


def _url(app, endpoint: str, target: SimpleNamespace, arguments) -> str:
    with app.test_request_context():
        return url_for(endpoint, **{name: getattr(target, name) for name in arguments})


def walk_once(app, make, role: str) -> list[SimpleNamespace]:
    """The role's walk on this database: walked on first use, then the same answers."""
    key = (app.config["DATABASE_URL"].split(":", 1)[0], role)
    if key not in _WALKS:
        _WALKS[key] = walk(app, make, role)
    return _WALKS[key]


def walk(app, make, role: str) -> list[SimpleNamespace]:
    """Send every route of the matrix as one role; return what came back and what was due."""
    hostile = make.department(name_vi=HOSTILE, name_en=HOSTILE)
    make.user(name=HOSTILE, departments=[(hostile.id, "staff")])
    # The organisation's token page lists a service account's token, with the form for one.
    service_account_with_token(app, make, HOSTILE)
    user = None if role == "anonymous" else make.user_with_role(role)
    arguments = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    client = app.test_client()
    results = []
    # One world per endpoint and target, built when its first row comes: its GET (which
    # changes nothing) and then its POST share it; endpoints that change nothing for this
    # role share worlds too (_shared_world). Building a world per row cost minutes.
    worlds: dict[tuple[str, str], SimpleNamespace] = {}
    # Who gets a report is asked here, not what it says: renders answer a blank page.
    with pdf_rendered_in_process(rendered=blank_pdf()):
        for endpoint, method in routes(app):
            _walk_endpoint(app, make, user, role, client, arguments, worlds, results,
                           endpoint, method)
    return results


def _changes_something(endpoint: str, role: str) -> bool:
    """Whether some row of the endpoint is, for this role, an action the matrix expects to
    go through (a 302 after a POST): only such an endpoint changes the world it is sent to."""
    column = ROLES.index(role)
    return any(key[1] == "POST" and row[column] == 302
               for key, row in MATRIX.items() if key[0] == endpoint)


def _world_kind(endpoint: str) -> tuple:
    """What, besides the states, decides which rows the target helpers build for an
    endpoint (each helper reads the endpoint's domain, some a sub-domain or a suffix)."""
    parts = endpoint.split(".")
    if endpoint in ("oversight.audit", "oversight.corrective_action"):
        # The overseer's record pages name an audit or a corrective action, built for them.
        return (endpoint,)
    if parts[0] == "quality":
        return (*parts[:2], endpoint.endswith(("answer_ca", "add_link")))
    if parts[:2] in (["documents", "external"], ["reports", "annual"], ["auth", "sso_admin"]):
        # The register of external documents, the annual reports and the single sign-on
        # mapping pages name rows of their own (external_target, annual_target, sso_target).
        return tuple(parts[:2])
    return (parts[0], endpoint.startswith("reports.reviews."))


def _shared_world(endpoint: str, role: str, needed: set[str]) -> tuple | None:
    """The key under which endpoints that change nothing for this role share one world: a
    GET, a refusal (sign-in, 403, 404) or an invalid form (400, 409) leaves the world as it
    found it (the walk checks the trail for refusals), so only endpoints whose action goes
    through get a world of their own. Worlds are shared only between endpoints that would
    be built alike (same domain, targets and states)."""
    if _changes_something(endpoint, role):
        return None
    return ("shared", _world_kind(endpoint), frozenset(needed), STATE_FOR.get(endpoint),
            AUDIT_STATE_FOR.get(endpoint), CA_STATE_FOR.get(endpoint), CA_GRADE_FOR.get(endpoint))


def _walk_endpoint(app, make, user, role, client, arguments, worlds, results,
                   endpoint, method) -> None:
    """Send the MATRIX rows of one (endpoint, method); append what came back."""
    keys = [key for key in MATRIX if key[:2] == (endpoint, method)]
    if not keys:
        results.append(SimpleNamespace(key=(endpoint, method, None), url="",
                                       expected="an entry", response=None,
                                       trail_grew=False))
    for key in keys:
        # Signing in again only after a sign-out keeps argon2's cost off every request.
        if user is not None and (not results or results[-1].key[0] == "auth.logout"):
            assert do_login(client, user.email).status_code == 302
        which = key[2] or "other"
        if (endpoint, which) not in worlds:
            needed = {k[2] or "other" for k in MATRIX if k[0] == endpoint}
            shared = _shared_world(endpoint, role, needed)
            if shared is not None and shared in worlds:
                built = worlds[shared]
            else:
                built = _targets(app, make, user, role, endpoint, keys=needed)
                if shared is not None:
                    worlds[shared] = built
            worlds.update({(endpoint, k): target for k, target in built.items()})
        target = worlds[(endpoint, which)]
        url = _url(app, endpoint, target, arguments[endpoint])
        data = BLANK_FORM if method == "POST" else None
        before = trail_length(app)
        response = client.open(url, method=method, data=data)
        results.append(SimpleNamespace(key=key, url=url, response=response,
                                       expected=MATRIX[key][ROLES.index(role)],
                                       trail_grew=trail_length(app) > before,
                                       role=role, other_language=None))
        if method == "GET":
            _first_of_its_shape(app, client, results[-1])


def _first_of_its_shape(app, client, result) -> None:
    """A page whose shape no walk of this process has shown yet is fetched once more, in the
    other language, then the language is switched back: the page checkers (validator,
    browser) read each shape once, in both languages, without walking twice."""
    response = result.response
    if response.status_code != 200 or response.mimetype != "text/html":
        return
    body = response.get_data()
    endpoint, _method, which = result.key
    shape = (endpoint, which, frozenset(FORM_PARTS.findall(body)))
    seen = _SHAPES.setdefault(app.config["DATABASE_URL"].split(":", 1)[0], set())
    if shape in seen:
        return
    seen.add(shape)
    language = re.search(rb'<html lang="([a-z]+)"', body).group(1).decode()
    other = "en" if language == "vi" else "vi"
    assert client.post("/language", data={"locale": other}).status_code == 302
    again = client.get(result.url)
    assert client.post("/language", data={"locale": language}).status_code == 302
    result.other_language = (other, again)


def matches(expected, response) -> bool:
    """Whether an answer is the one the matrix asks for."""
    if response is None:
        return False
    if expected == L:
        return (response.status_code == 302
                and urlsplit(response.headers["Location"]).path == "/login")
    return response.status_code == expected


def test_matrix_names_only_routes_that_exist(app):
    known = set(routes(app))
    stale = [key for key in MATRIX if key[:2] not in known]
    assert stale == []
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


# The walks run on SQLite only: who may open which URL is decided in Python (rules.py), the
# same on both databases; the SQL side of it (visible_* filters, the lists) runs on both
# databases in each domain's policy and list tests.
@pytest.mark.one_database
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(app, make, role):
    results = walk_once(app, make, role)
    wrong = [f"{r.key} {getattr(r, 'url', '')}: expected {r.expected}, got "
             f"{r.response.status_code if r.response is not None else 'no entry in MATRIX'}"
             for r in results if not matches(r.expected, r.response)]
    assert wrong == []
    assert all(r.response.status_code < 500 for r in results)
    # A refused request must not have changed anything on its way to the refusal.
    assert [r.key for r in results if r.expected in (L, 403) and r.trail_grew] == []


def test_department_pages_follow_membership_not_only_role(app, make, login):
    """A head of one department reads another's page too (READERS), but edits neither."""
    mine, theirs = make.department(), make.department()
    head = make.user_with_role("department_head", mine.id)
    client = app.test_client()
    login(client, head.email)
    for dept in (mine, theirs):
        assert client.get(f"/departments/{dept.id}").status_code == 200
        assert client.get(f"/departments/{dept.id}/edit").status_code == 403


# A path naming an id nobody has, and the MATRIX row for the same route with a real id.
UNKNOWN_IDS = [
    ("/admin/users/999999", ("auth.users.detail", "GET", None)),
    ("/admin/users/999999/edit", ("auth.users.edit", "GET", None)),
    ("/departments/999999", ("org.department", "GET", "other")),
    ("/departments/999999/edit", ("org.edit_department", "GET", "other")),
    ("/processes/999999/edit", ("org.edit_process", "GET", "other")),
    ("/processes/999999", ("org.process", "GET", "other")),
    ("/measures/999999", ("quality.measures.detail", "GET", "other")),
    ("/corrective-actions/999999", ("capa.detail", "GET", "other")),
    ("/objectives/999999", ("quality.objectives.detail", "GET", "other")),
    ("/context/issues/999999", ("quality.context.issue", "GET", None)),
    ("/reports/six-monthly/department/999999", ("reports.department", "GET", "other")),
    ("/management-reviews/999999", ("reports.reviews.detail", "GET", None)),
    ("/evidence/999999", ("evidence.detail", "GET", "other")),
    ("/documents/holds/999999", ("documents.holds.hold", "GET", None)),
    ("/risks/999999", ("quality.risks.detail", "GET", "other")),
    ("/quality/departments/999999", ("quality.overview.department", "GET", "other")),
]


@pytest.mark.one_database
def test_an_id_past_what_a_database_holds_is_404_on_every_route(app, make):
    """An id larger than PostgreSQL's integer names nothing: not found, on every route with
    an id (pages and API), rather than an overflow in the query (found by the API fuzz)."""
    client = app.test_client()
    do_login(client, make.user_with_role("admin").email)
    wrong = []
    for rule in app.url_map.iter_rules():
        ids = [name for name, kind in rule._converters.items() if isinstance(kind, RecordId)]
        if not ids or "GET" not in rule.methods:
            continue
        for huge in (2**31, 2**70):
            path = rule.rule
            for name in ids:
                path = path.replace(f"<int:{name}>", str(huge))
            status = client.get(path).status_code
            if status != 404:
                wrong.append((path, status))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_an_unknown_id_is_404_only_for_those_allowed_to_look(app, make, role):
    """Those refused a record are refused a missing one too: no probing for what exists."""
    client = app.test_client()
    if role != "anonymous":
        do_login(client, make.user_with_role(role).email)
    for path, key in UNKNOWN_IDS:
        allowed = MATRIX[key][ROLES.index(role)]
        response = client.get(path)
        assert matches(404 if allowed == 200 else allowed, response), (path, response.status_code)


# Content security: no page of the matrix carries script the CSP would have to allow.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.one_database
@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_matrix_has_inline_script(app, make, role):
    # The walk's world names a department and a person HOSTILE (tests/test_permissions.py).
    pages = [r for r in walk_once(app, make, role)
             if r.response is not None and r.response.mimetype == "text/html"]
    assert pages
    for result in pages:
        body = result.response.get_data(as_text=True)
        assert not INLINE_SCRIPT.search(body), result.key
        assert not INLINE_HANDLER.search(body), result.key
        assert "javascript:" not in body.lower(), result.key
    if role in ("admin", "coordinator"):
        # The scan means something only if the hostile names did reach pages, escaped.
        escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
        assert any(escaped in r.response.get_data(as_text=True) for r in pages)


# Who sees a record's history (issue 16: each domain's rules.may_see_history), per page and
# role in the order of ROLES; the page's other rows follow the MATRIX above. Staff see no
# history: not of the documents they read, nor of the corrective actions, objectives, risks
# and measures they take part in; heads see their own department's, not another's.
Y, N = True, False
HISTORY_SEEN: dict[tuple[str, str, str | None], tuple] = {
    ("documents.detail", "GET", "own"):          (N, Y, Y, Y, Y, N),
    ("documents.detail", "GET", "other"):        (N, Y, Y, N, Y, N),
    ("audits.conduct.detail", "GET", "own"):     (N, Y, Y, Y, Y, N),
    ("audits.conduct.detail", "GET", "other"):   (N, Y, Y, N, Y, N),
    ("capa.detail", "GET", "own"):               (N, Y, Y, Y, Y, N),
    ("capa.detail", "GET", "other"):             (N, Y, Y, N, Y, N),
    ("quality.objectives.detail", "GET", "own"): (N, Y, Y, Y, Y, N),
    ("quality.measures.detail", "GET", "own"):   (N, Y, Y, Y, Y, N),
    ("quality.risks.detail", "GET", "own"):      (N, Y, Y, Y, Y, N),
    ("quality.context.issue", "GET", None):      (N, Y, Y, Y, Y, N),
}


@pytest.mark.one_database
@pytest.mark.parametrize("role", ROLES)
def test_record_history_is_shown_to_the_roles_its_rules_allow(app, make, role):
    answers = {r.key: r.response for r in walk_once(app, make, role)}
    seen = {key: answers[key] is not None and answers[key].status_code == 200
            and 'data-testid="history"' in answers[key].get_data(as_text=True)
            for key in HISTORY_SEEN}
    assert seen == {key: row[ROLES.index(role)] for key, row in HISTORY_SEEN.items()}


def first_pages(app, make) -> list[SimpleNamespace]:
    """The walk's pages of a shape not seen before, every role walked (in ROLES order)."""
    return [result for role in ROLES for result in walk_once(app, make, role)
            if result.other_language is not None]


@pytest.mark.one_database
def test_every_page_of_the_walk_is_valid_html(app, make):
    """The Nu validator finds no error on any page any role's walk was shown (issue 16)."""
    pages = {f"{r.role}--{r.key[0]}--{r.key[2]}": r.response.get_data()
             for r in first_pages(app, make)}
    assert len(pages) > 150
    assert html_errors(pages) == []


def browser_pages(results) -> list[Shown]:
    """Each page shape in both languages. The first shape of each route is loaded for real
    in the language it was walked in (console errors, the CSP, what it loads) and read by
    every axe rule, and in its other language by the rules that follow from words; the
    other shapes differ only in their forms' fields and are shown for their width."""
    pages, routes = [], set()
    for result in results:
        other, again = result.other_language
        assert again.status_code == 200, (result.key, again.status_code)
        walked = "vi" if other == "en" else "en"
        first = result.key[0] not in routes
        routes.add(result.key[0])
        label = f"{result.role} {result.key[0]} {result.key[2]}"
        pages += [Shown(f"{label} {walked}", result.url, result.response, load=first,
                        axe=ALL_RULES if first else None),
                  Shown(f"{label} {other}", result.url, again,
                        axe=WORD_RULES if first else None)]
    return pages


@pytest.mark.one_database
def test_every_page_of_the_walk_passes_in_a_browser(app, make):
    """Each page shape of every role's walk, in both languages, at 1366 and 390 px: no
    serious or critical axe-core violation, nothing wider than the screen, no console or
    HTTP error, and no English on a Vietnamese page (issue 16)."""
    pages = browser_pages(first_pages(app, make))
    with chromium() as browser, page_checker(browser, app.test_client()) as checker:
        checker.check(pages)
    for shown in pages:
        if shown.label.endswith(" vi"):
            words = english_words(shown.response.get_data())
            shown.problems += [f"English: {', '.join(words)}"] if words else []
    assert len(pages) > 300
    assert [f"{shown.label}: {problem}" for shown in pages for problem in shown.problems] == []
