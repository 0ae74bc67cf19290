"""Full-text search over the register: SQLite FTS5 or PostgreSQL text search."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import DDL, delete, event, select, text

from compliance.core.db import raw_ddl_names
from compliance.core.extensions import db
from compliance.documents.models import Document, DocumentSearch, Revision

# Objects made by raw DDL; the migration environment leaves them out of autogenerate.
SEARCH_OBJECTS = ("document_fts", "ix_document_search_tsv")
raw_ddl_names.update(SEARCH_OBJECTS)
_TSV = "to_tsvector('simple', code || ' ' || title || ' ' || body)"

SQLITE_DDL = [
    # Text is folded before it is stored (see fold()), so the plain tokenizer is enough.
    "CREATE VIRTUAL TABLE document_fts USING fts5(code, title, body, content='document_search',"
    " content_rowid='document_id', tokenize='unicode61')",
    "CREATE TRIGGER document_search_ai AFTER INSERT ON document_search BEGIN INSERT INTO "
    "document_fts(rowid, code, title, body) VALUES (new.document_id, new.code, new.title, "
    "new.body); END",
    "CREATE TRIGGER document_search_ad AFTER DELETE ON document_search BEGIN INSERT INTO "
    "document_fts(document_fts, rowid, code, title, body) VALUES ('delete', old.document_id, "
    "old.code, old.title, old.body); END",
    "CREATE TRIGGER document_search_au AFTER UPDATE ON document_search BEGIN INSERT INTO "
    "document_fts(document_fts, rowid, code, title, body) VALUES ('delete', old.document_id, "
    "old.code, old.title, old.body); INSERT INTO document_fts(rowid, code, title, body) "
    "VALUES (new.document_id, new.code, new.title, new.body); END",
]
POSTGRESQL_DDL = [f"CREATE INDEX ix_document_search_tsv ON document_search USING gin ({_TSV})"]

for _statement in SQLITE_DDL:
    event.listen(DocumentSearch.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(DocumentSearch.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))


def fold(value: str) -> str:
    """Lower case without diacritics, đ as d: "Đất đai" and "dat dai" search alike."""
    decomposed = unicodedata.normalize("NFD", value or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D").lower()


def index_document(document: Document) -> None:
    """Refresh the searchable text from the register entry and the current file."""
    current = db.session.scalar(
        select(Revision.text_content)
        .where(Revision.document_id == document.id,
               Revision.status.in_(("effective", "approved", "in_review", "draft")))
        .order_by((Revision.status == "effective").desc(), Revision.number.desc()).limit(1))
    db.session.execute(delete(DocumentSearch).where(DocumentSearch.document_id == document.id))
    db.session.add(DocumentSearch(
        document_id=document.id, code=fold(document.code),
        title=fold(f"{document.title_vi} {document.title_en or ''}"), body=fold(current or "")))
    db.session.flush()


def _fts5_query(terms: list[str]) -> str:
    return " ".join('"' + term.replace('"', "") + '"*' for term in terms)


def words(query: str) -> list[str]:
    """The words of a query, folded: runs of letters and digits (at most 12); punctuation,
    symbols and the underscore only separate them."""
    return re.findall(r"[^\W_]+", fold(query))[:12]


def matching_ids(query: str):
    """A selectable of document ids matching every word of the query (words as prefixes), or
    None when the query has no words (the register then lists nothing, and says why)."""
    terms = words(query)
    if not terms:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        # Each word as a prefix, like FTS5's "word"*; the terms are bare letters and digits.
        return (select(DocumentSearch.document_id)
                .where(text(f"{_TSV} @@ to_tsquery('simple', :q)"))
                .params(q=" & ".join(f"{term}:*" for term in terms)))
    return (select(text("rowid")).select_from(text("document_fts"))
            .where(text("document_fts MATCH :q")).params(q=_fts5_query(terms)))
