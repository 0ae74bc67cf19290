"""The floor the register is measured against: a minimal Flask + SQLAlchemy page serving the
same 50 rows, with no sign-in, translation, permissions or layout."""

from __future__ import annotations

import os
from html import escape

from flask import Flask
from sqlalchemy import create_engine, text

QUERY = text("SELECT d.id, d.code, d.title_vi, r.label FROM document d LEFT JOIN revision r "
             "ON r.document_id = d.id AND r.status = 'effective' WHERE d.status = 'effective' "
             "ORDER BY d.code, d.id LIMIT 50")


def create_app() -> Flask:
    """The baseline app, on the benchmark's database."""
    from compliance.config import normalise_database_url

    app = Flask(__name__)
    engine = create_engine(normalise_database_url(os.environ["COMPLIANCE_DATABASE_URL"]))

    @app.get("/")
    def page():
        with engine.connect() as conn:
            rows = conn.execute(QUERY).all()
        body = "".join(f"<tr><td>{escape(r.code)}</td><td>{escape(r.title_vi)}</td>"
                       f"<td>{escape(r.label or '')}</td></tr>" for r in rows)
        return f"<!doctype html><html><body><table>{body}</table></body></html>"

    return app
