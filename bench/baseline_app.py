"""The floor the register is measured against: a minimal Flask + SQLAlchemy page serving the
same 50 rows, with no sign-in, translation, permissions or layout; and the API's floor, a
bare JSON endpoint of the API list's rows (bench.api)."""

from __future__ import annotations

import os
from html import escape

from flask import Flask, jsonify
from sqlalchemy import create_engine, text

QUERY = text("SELECT d.id, d.code, d.title_vi, r.label FROM document d LEFT JOIN revision r "
             "ON r.document_id = d.id AND r.status = 'effective' WHERE d.status = 'effective' "
             "ORDER BY d.code, d.id LIMIT 50")
# The columns GET /api/v1/documents/ answers, in its order (code, id), one row past the page;
# within the seed's one organisation, as the API asks, which lets the (organisation, code)
# index give the order (without it, both databases sort the whole table).
API_QUERY = text("SELECT d.id, d.code, d.doc_type, d.title_vi, d.title_en, d.status, "
                 "p.code AS department_code, d.next_review_date, d.updated_at, r.label, "
                 "r.effective_date FROM document d JOIN department p ON p.id = d.department_id"
                 " LEFT JOIN revision r ON r.document_id = d.id AND r.status = 'effective' "
                 "WHERE d.organisation_id = 1 ORDER BY d.code, d.id LIMIT 51")


def _iso(value):
    # SQLite hands dates back as text, PostgreSQL as dates: JSON the same either way.
    return value if value is None or isinstance(value, str) else value.isoformat()


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

    @app.get("/json")
    def rows():
        with engine.connect() as conn:
            found = conn.execute(API_QUERY).all()[:50]
        return jsonify([{**r._asdict(), "next_review_date": _iso(r.next_review_date),
                         "updated_at": _iso(r.updated_at),
                         "effective_date": _iso(r.effective_date)} for r in found])

    return app
