"""Input and output schemas of the evidence-packs API (compliance.evidence.api)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from compliance.api.pages import record_id
from compliance.evidence import queries, rules
from compliance.evidence.models import PACK_STATES, SCOPE_KINDS

# What a pack may be built for through the API: a pack across organisations is built on the
# overseer's page.
KINDS = tuple(kind for kind in SCOPE_KINDS if kind != rules.SUBTREE)
LOCALES = ("vi", "en")
ONE_OF = _l("Must be one of: {choices}.")


class BuildRequest(Schema):
    """A pack to build, as the page's build form sends it: the scope and the period."""

    scope_kind = fields.Str(required=True, validate=validate.OneOf(KINDS, error=ONE_OF))
    scope_id = record_id(allow_none=True, metadata={
        "description": "The department, audit or clause (none for the whole organisation)."})
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    locale = fields.Str(load_default="vi", validate=validate.OneOf(LOCALES, error=ONE_OF))
    include_quality = fields.Bool(load_default=False)


class LinkSchema(Schema):
    """A share link of a pack (its address is answered once, when it is made)."""

    id = fields.Int()
    note = fields.Str()
    expires_on = fields.Date()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class NewLinkSchema(LinkSchema):
    """A share link just made, with its address: shown this once, never again."""

    url = fields.Str()


class ShareRequest(Schema):
    """A share link for an external auditor, as the page's form sends it."""

    expires_on = fields.Date(required=True)
    note = fields.Str(load_default="", validate=validate.Length(
        max=200, error=_l("Give at most {max} characters.")))


class PackSchema(Schema):
    """An evidence pack: its scope, period, the build's state and progress, its links."""

    id = fields.Int()
    reference = fields.Str()
    scope_kind = fields.Str()
    scope_id = fields.Int(allow_none=True)
    department_id = fields.Int(allow_none=True)
    scope_label = fields.Str()
    period_start = fields.Date()
    period_end = fields.Date()
    locale = fields.Str()
    include_quality = fields.Bool()
    status = fields.Method("_status", metadata={
        "type": "string", "enum": list(PACK_STATES),
        "description": "Poll until `ready` (then download) or `failed` (see `error`)."})
    progress = fields.Method("_progress", metadata={"type": "integer"})
    error = fields.Method("_error", metadata={"type": ["string", "null"]})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    sha256 = fields.Str(attribute="blob_sha256", allow_none=True)
    size = fields.Int(allow_none=True)
    pages = fields.Int(allow_none=True)
    links = fields.List(fields.Nested(LinkSchema))

    def _status(self, pack) -> str:
        return queries.state_of(pack)

    def _progress(self, pack) -> int:
        return queries.status(pack)["progress"]

    def _error(self, pack):
        return queries.error_of(pack)
