"""Child blueprint `documents.chains`: every document type's approval chain, changing one,
and one document's own chain (an override of its type's, with the reason)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core.errors import DomainError, NotFound
from compliance.core.http import form_error, render_form
from compliance.documents import chain, rules, services
from compliance.documents.forms import ChainForm, DocumentChainForm
from compliance.documents.labels import (
    DOC_TYPES,
    STEP_MEANING_LABELS,
    STEP_ROLE_LABELS,
    TYPE_LABELS,
    step_label,
)
from compliance.documents.services import chains

bp = Blueprint("chains", __name__)
CHAINS = "documents/chains.html"
TYPE_CHAIN = "documents/chain_form.html"
DOCUMENT_CHAIN = "documents/document_chain.html"


def _no_right() -> str:
    return _("Only ISO coordinators can change approval chains.")


def _labels() -> dict:
    return {"type_labels": TYPE_LABELS, "meaning_labels": STEP_MEANING_LABELS,
            "role_labels": STEP_ROLE_LABELS, "step_label": step_label}


@bp.get("/chains")
@login_required
def index():
    """The approval chain of every document type."""
    rules.ensure(rules.may_see_chains(current_user), _("You may not see the approval chains."))
    rows = [(doc_type, chain.as_tuples(chain.type_chain(doc_type))) for doc_type in DOC_TYPES]
    return render_template(CHAINS, rows=rows, may_edit=rules.may_edit_chains(current_user),
                           **_labels())


@bp.route("/chains/<doc_type>", methods=["GET", "POST"])
@login_required
def edit_type(doc_type: str):
    """Change the chain of a document type."""
    if doc_type not in DOC_TYPES:
        raise NotFound(_("Unknown document type."))
    rules.ensure(rules.may_edit_chains(current_user), _no_right())
    row = chain.type_chain(doc_type)
    form = ChainForm()
    if not form.is_submitted():
        form.show(chain.as_tuples(row))
        form.version.data = row.version if row is not None else 0
    context = {"doc_type": doc_type, **_labels()}
    if not form.validate_on_submit():
        return render_form(TYPE_CHAIN, form, **context)
    try:
        chains.set_type_chain(current_user, doc_type, form.version.data,
                              steps=form.chosen_steps())
    except DomainError as error:
        return form_error(form, error, TYPE_CHAIN, **context)
    flash(_("The approval chain of %(type)s is saved. It applies to revisions submitted from "
            "now on.", type=TYPE_LABELS[doc_type]), "success")
    return redirect(url_for("documents.chains.index"))


@bp.route("/<int:document_id>/chain", methods=["GET", "POST"])
@login_required
def document_chain(document_id: int):
    """Give one document its own approval chain, or put it back on its type's."""
    document = services.get_document(document_id, for_update=request.method == "POST")
    rules.ensure(rules.may_override_chain(current_user, document), _no_right())
    services.ensure_not_obsolete(document)
    own = chain.own_chain(document)
    form = DocumentChainForm()
    if not form.is_submitted():
        form.show(chain.configured(document)[0])
        form.version.data = own.version if own is not None else 0
        form.reason.data = own.reason if own is not None else ""
    context = {"document": document, "own": own,
               "type_steps": chain.as_tuples(chain.type_chain(document.doc_type)), **_labels()}
    if not form.validate_on_submit():
        return render_form(DOCUMENT_CHAIN, form, **context)
    try:
        chains.set_document_chain(current_user, document, form.version.data,
                                  steps=form.chosen_steps(), reason=form.reason.data,
                                  use_type_chain=bool(form.use_type_chain.data))
    except DomainError as error:
        return form_error(form, error, DOCUMENT_CHAIN, **context)
    flash(_("The approval chain of %(code)s is saved. It applies to revisions submitted from "
            "now on.", code=document.code), "success")
    return redirect(url_for("documents.detail", document_id=document.id))
