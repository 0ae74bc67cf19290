"""The API's reference page, /api/v1/reference: Swagger UI drawing the generated OpenAPI
document, every file served by the app itself (core.assets), nothing from a CDN."""

from __future__ import annotations

from flask import Blueprint, render_template

from compliance.core.application import CSP

bp = Blueprint("api_reference", __name__)
# Swagger UI sets style attributes on the elements it draws: this page alone allows inline
# styles (never inline scripts: its two scripts are files of this site).
REFERENCE_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.get("/reference")
def page():
    """The reference of every operation, readable without a token, as the document is."""
    response = render_template("api/reference.html")
    return response, 200, {"Content-Security-Policy": REFERENCE_CSP}
