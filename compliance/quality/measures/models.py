"""Measure (a KPI of a process), the value recorded for each period, and CSV imports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped
from compliance.quality.measures.periods import FREQUENCIES, parse

DIRECTIONS = ("higher", "lower")
VALUE_SOURCES = ("form", "import")
IMPORT_STATES = ("previewed", "confirmed")

__all__ = ["DIRECTIONS", "FREQUENCIES", "IMPORT_STATES", "VALUE_SOURCES", "Measure",
           "MeasureImport", "MeasureValue"]


class Measure(OrganisationScoped, TimestampMixin, db.Model):
    """A measure of a process (9.1.1): what is measured, in which unit, against which target,
    how often, and who records it. A ratio measure is computed from two counts (dossiers
    settled on time / received × 100)."""

    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32), default="")
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    target: Mapped[float]
    frequency: Mapped[str] = mapped_column(String(16), default="monthly")
    # The first period measured: values before it are refused, and it is chased from there.
    first_period: Mapped[str] = mapped_column(String(8))
    recorder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    ratio: Mapped[bool] = mapped_column(Boolean, default=False)
    # A measure of customer satisfaction or feedback (9.1.2): the management-review input
    # pack's section c 1 charts these (a survey's satisfied share, complaints received).
    customer_feedback: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)

    process = relationship("Process", lazy="joined")
    recorder = relationship("User", lazy="joined")
    values: Mapped[list[MeasureValue]] = relationship(back_populates="measure",
                                                      order_by="MeasureValue.period_start")

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str) -> str:
        """The name in the reader's language."""
        return (self.name_en or self.name_vi) if locale == "en" else self.name_vi

    @property
    def department_id(self) -> int:
        """The department of the measure's process."""
        return self.process.department_id

    @property
    def starts_on(self) -> date:
        """The first day of the first period measured."""
        return parse(self.first_period).start

    def misses(self, value: float | None, target: float | None = None) -> bool:
        """Whether a value falls short of the target (this one, or the measure's own)."""
        if value is None:
            return False
        goal = self.target if target is None else target
        return value < goal if self.direction == "higher" else value > goal

    def snapshot(self) -> dict:
        """What the audit trail records about a measure."""
        return {"code": self.code, "process_id": self.process_id, "name_vi": self.name_vi,
                "name_en": self.name_en, "unit": self.unit, "direction": self.direction,
                "target": self.target, "frequency": self.frequency,
                "first_period": self.first_period, "recorder_id": self.recorder_id,
                "ratio": self.ratio, "customer_feedback": self.customer_feedback,
                "active": self.active}


class MeasureValue(db.Model):
    """The value of a measure for one period, with the target it was judged against."""

    __tablename__ = "measure_value"
    __table_args__ = (UniqueConstraint("measure_id", "period"),
                      Index("ix_measure_value_measure_start", "measure_id", "period_start"),
                      # The misses of a year, organisation-wide or per department.
                      Index("ix_measure_value_missed_start", "missed", "period_start"))

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date]
    period_end: Mapped[date]
    # None only for a ratio with nothing received: there was nothing to settle.
    value: Mapped[float | None]
    received: Mapped[int | None]
    on_time: Mapped[int | None]
    late: Mapped[int | None]
    target: Mapped[float]
    missed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    blob_sha256: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    file_kind: Mapped[str | None] = mapped_column(String(8))
    file_size: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(8), default="form")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("measure_import.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    measure: Mapped[Measure] = relationship(back_populates="values")
    recorded_by = relationship("User")

    def snapshot(self) -> dict:
        """What the audit trail records about a value."""
        return {"measure_id": self.measure_id, "period": self.period, "value": self.value,
                "received": self.received, "on_time": self.on_time, "late": self.late,
                "target": self.target, "missed": self.missed, "note": self.note,
                "sha256": self.blob_sha256, "source": self.source}


class MeasureImport(db.Model):
    """An uploaded CSV of values: previewed first, written only when confirmed."""

    __tablename__ = "measure_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="previewed")
    # The rows the preview offered to write, hashed: a confirmation writes those or nothing.
    digest: Mapped[str] = mapped_column(String(64))
    rows_written: Mapped[int | None]
    rows_refused: Mapped[int | None]
    confirmed_at: Mapped[datetime | None]

    uploaded_by = relationship("User")
