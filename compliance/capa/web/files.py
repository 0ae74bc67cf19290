"""Child blueprint `capa.files`: evidence files about the nonconformity, and downloads."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from compliance.capa import rules, services
from compliance.capa.web.common import back, invalid, posted, readable, refused
from compliance.core.errors import DomainError
from compliance.core.http import original_file

bp = Blueprint("files", __name__)


@bp.post("/<int:ca_id>/files")
@login_required
def upload(ca_id: int):
    """An evidence file about the nonconformity (checked by content, stored by hash)."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    form = posted("file", ca)
    if not form.validate_on_submit():
        return invalid(ca, "file", form)
    try:
        services.add_file(current_user, ca, form.file.data.stream, form.file.data.filename)
    except DomainError as error:
        return refused(ca, "file", form, error)
    return back(ca, "#files")


@bp.get("/<int:ca_id>/files/<int:file_id>")
@login_required
def download(ca_id: int, file_id: int):
    """Download an evidence file."""
    ca = readable(ca_id)
    stored = services.get_file(ca, file_id)
    return original_file(stored.blob_sha256, stored.file_kind,
                         f"{ca.reference}-evidence-{stored.id}")
