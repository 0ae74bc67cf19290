"""The annual report's template (one per organisation) and the reports of each year."""

from __future__ import annotations

import json

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.issued import IssuedDocument
from compliance.core.tenancy import OrganisationScoped


class AnnualTemplate(OrganisationScoped, TimestampMixin, db.Model):
    """The sections of the organisation's annual report, in order (JSON: title and source,
    a figure's key or "text" for a paragraph the coordinator writes)."""

    __tablename__ = "annual_report_template"
    __table_args__ = (UniqueConstraint("organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sections: Mapped[str] = mapped_column(Text, default="[]")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def section_list(self) -> list[dict]:
        """The sections as dicts (title, source)."""
        return json.loads(self.sections or "[]")

    def snapshot(self) -> dict:
        """What the audit trail records about the template."""
        return {"sections": [f"{s['title']} | {s['source']}" for s in self.section_list()]}


# A draft is written by the coordinator; signed by the head, it is issued and kept.
ANNUAL_STATES = ("draft", "issued")


class AnnualReport(IssuedDocument, OrganisationScoped, TimestampMixin, db.Model):
    """The report of one year: its sections (copied from the template when drafted), the
    paragraphs written for them, and once signed its figures as they stood and its PDF."""

    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    symbol: Mapped[str] = mapped_column(String(32), default="BC-UBND")
    sections: Mapped[str] = mapped_column(Text, default="[]")
    # One text per section (a figure's section may add a comment under the figure).
    paragraphs: Mapped[str] = mapped_column(Text, default="[]")
    # The figures' lines per section as they stood when signed (JSON).
    figures: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def section_list(self) -> list[dict]:
        """The sections as dicts (title, source)."""
        return json.loads(self.sections or "[]")

    def paragraph_list(self) -> list[str]:
        """The written text of each section, as many as there are sections."""
        texts = json.loads(self.paragraphs or "[]")
        return (texts + [""] * len(self.section_list()))[:len(self.section_list())]

    def snapshot(self) -> dict:
        """What the audit trail records about a report."""
        return {"year": self.year, "state": self.state, "number": self.number,
                "symbol": self.symbol, "issuer": self.issuer, "superior": self.superior,
                "place": self.place, "paragraphs": self.paragraph_list(),
                "recipients": self.recipients, "signer_title": self.signer_title,
                "signer_id": self.signer_id, "issued_on": self.issued_on,
                "signature_method": self.signature_method, "pdf_sha256": self.pdf_sha256}
