"""Evidence packs under /api/v1/evidence-packs: request a build (the page's service, the same
worker process), poll its state, download the PDF, create and revoke share links."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import rules_first, visible_one
from compliance.api.pages import PageArgs, keyset_page, list_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import attachment
from compliance.core.storage import get_store
from compliance.evidence import queries, rules, services
from compliance.evidence.models import EvidencePack
from compliance.evidence.schemas import (
    BuildRequest,
    LinkSchema,
    NewLinkSchema,
    PackSchema,
    ShareRequest,
)
from compliance.evidence.web import launching

bp = Blueprint("api_evidence_packs", __name__, url_prefix="/evidence-packs",
               description="PDF evidence packs for an auditor, and their share links.")
json_errors(bp)


def _pack(pack_id: int) -> EvidencePack:
    """A pack the caller may see (404 for one they may not know of)."""
    rules.ensure_open(current_user)
    return visible_one(rules.visible_packs(current_user, select(EvidencePack).where(
        EvidencePack.id == pack_id)), _("There is no evidence pack with this id."))


def _users_only(**_ids) -> None:
    rules.ensure_use(current_user)


def _sharers_only(pack_id: int) -> None:
    rules.ensure(rules.may_share(current_user, _pack(pack_id)),
                 _("This evidence pack covers another department."))


@bp.route("/")
class Packs(MethodView):
    """The packs the caller may see, and new builds."""

    @list_of(bp, PageArgs, PackSchema, 403)
    def get(self, args):
        """List the packs the caller may see, by id (cursor pages, `Link` header)."""
        rules.ensure_use(current_user)
        return keyset_page(rules.visible_packs(current_user, select(EvidencePack)),
                           EvidencePack.id, args)

    @rules_first(_users_only)
    @bp.arguments(BuildRequest)
    @bp.response(202, PackSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def post(self, build: dict):
        """Request a build, as the page's form does: the pack is queued and its worker
        started; poll the pack until it is `ready` or `failed`."""
        pack = services.request_pack(current_user, **build)
        # The worker reads the pack's row, so it starts only once that row is committed.
        launching.after_commit(pack)
        return pack, 202, {"Location": url_for("api_evidence_packs.PackOne", pack_id=pack.id)}


@bp.route("/<int:pack_id>")
class PackOne(MethodView):
    """One pack: poll its build."""

    @bp.response(200, PackSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, pack_id: int):
        """Read a pack: its state and progress while it builds, its hash once ready."""
        return _pack(pack_id)


@bp.route("/<int:pack_id>/download")
class Download(MethodView):
    """The pack's PDF."""

    @bp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
                 description="The evidence pack, once ready.")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def get(self, pack_id: int):
        """Download the pack (409 while it is not ready)."""
        pack = _pack(pack_id)
        if queries.state_of(pack) != "ready":
            raise DomainError(_("This pack is not ready."), status=409)
        return attachment(get_store().read(pack.blob_sha256), "pdf", pack.reference)


@bp.route("/<int:pack_id>/links/")
class Links(MethodView):
    """Share links for an external auditor."""

    @rules_first(_sharers_only)
    @bp.arguments(ShareRequest)
    @versions.creates(bp, NewLinkSchema)
    def post(self, share: dict, pack_id: int):
        """Create a share link of a ready pack; its `url` is answered this once only."""
        link, token = services.create_link(current_user, _pack(pack_id), today=clock.today(),
                                           **share)
        url = url_for("evidence.shared.view", token=token, _external=True)
        shown = {name: getattr(link, name) for name in LinkSchema._declared_fields}
        return {**shown, "url": url}, 201


@bp.route("/<int:pack_id>/links/<int:link_id>/revoke")
class Revoke(MethodView):
    """Stopping a share link."""

    @bp.response(200, LinkSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.doc(security=BEARER)
    def post(self, pack_id: int, link_id: int):
        """Revoke a share link: it stops working at once (409 if it already was)."""
        return services.revoke_link(current_user, _pack(pack_id), link_id)
