"""The columns every document issued in the state's format keeps (Nghị định 30/2020): its
state, number, header (issuing body, superior, place), recipients and signature. Shared by the
announcement of conformity (scope) and the annual report (reports.annual); each keeps its own
symbol, body and version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


class IssuedDocument:
    """A draft, then a numbered document signed by the person named and issued as a PDF."""

    state: Mapped[str] = mapped_column(String(16), default="draft")
    number: Mapped[int | None]
    # The header: the body issuing it, its superior, and the place line.
    issuer: Mapped[str] = mapped_column(String(200), default="")
    superior: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="CHỦ TỊCH")
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    issued_on: Mapped[date | None]
    signed_at: Mapped[datetime | None]
    signature_method: Mapped[str] = mapped_column(String(32), default="")
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    @declared_attr
    def signer(cls):  # noqa: N805 - declared_attr takes the class
        """The person who signs (or signed) it."""
        return relationship("User")
