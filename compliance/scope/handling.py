"""On-time handling of administrative procedures (issue 17, item 5): per procedure in scope
and per month, the dossiers received, settled on time, settled late and the apology letters
issued, imported from the one-stop-shop software's monthly CSV export.

The file (docs/user-guide.md, "On-time handling"): UTF-8 (a BOM is fine), comma- or
semicolon-separated, a header naming `code` (the procedure's code in the national database),
`month` (2026-03), `received`, `on_time`, `late` and optionally `apologies`. A file with any
wrong line is refused whole, every wrong line named; a month already imported is replaced
only when the import says so. A procedure linked to a measure feeds it: the measure's
period holding each month imported gets the counts of its procedures' months."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from compliance.audit_trail.services import record
from compliance.core import signals, tenancy
from compliance.core.csv_text import csv_lines
from compliance.core.db import utcnow
from compliance.core.errors import Conflict, DomainError
from compliance.core.extensions import db
from compliance.quality.measures import periods
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.measures.services.common import count, reading
from compliance.scope import rules
from compliance.scope.models import HandlingMonth, ScopeEntry

MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("code", "month", "received", "on_time", "late", "apologies")
REQUIRED = ("code", "month", "received", "on_time", "late")
# What the months posted through the API record in place of a file's name.
API_SOURCE = "api"


class LinesRefused(DomainError):
    """The file has wrong lines: `lines` holds (line number, reason) for each."""

    def __init__(self, lines: list[tuple[int, str]]):
        super().__init__(ngettext("Nothing was imported: %(num)d line of the file is wrong.",
                                  "Nothing was imported: %(num)d lines of the file are wrong.",
                                  len(lines)), field="file")
        self.lines = lines


class _Wrong(Exception):
    """Why one line cannot be imported."""


@dataclass
class Line:
    """One data line, read and checked."""

    number: int
    entry: ScopeEntry
    month: periods.Period
    received: int
    on_time: int
    late: int
    apologies: int


def _file_error(message: str) -> DomainError:
    return DomainError(message, field="file")


def _table(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    lines = csv_lines(data)
    try:
        header = [name.strip().lower() for name in next(lines)]
        rows = [(lines.line_num, cells) for cells in lines if any(c.strip() for c in cells)]
    except StopIteration:
        raise _file_error(_("The file is empty.")) from None
    except csv.Error:
        raise _file_error(_("The file cannot be read as CSV.")) from None
    wrong = [n for n in header if n not in COLUMNS]
    if wrong or len(set(header)) != len(header) or not set(REQUIRED) <= set(header):
        raise _file_error(_("The header must name the columns %(known)s (apologies may be "
                            "left out), each once.", known=", ".join(COLUMNS)))
    if not rows:
        raise _file_error(_("The file has no data line."))
    return header, rows


def _procedures() -> dict[str, ScopeEntry]:
    entries = db.session.scalars(select(ScopeEntry).where(
        ScopeEntry.kind == "procedure", ScopeEntry.in_scope, ScopeEntry.national_code != ""))
    return {e.national_code.strip().upper(): e for e in entries}


def _line(number: int, cells: dict, known: dict, today: date) -> Line:
    entry = known.get(cells.get("code", "").upper())
    if entry is None:
        raise _Wrong(_("no procedure in scope has the code “%(code)s”",
                        code=cells.get("code", "")[:40]))
    try:
        month = periods.parse(cells.get("month", ""))
    except ValueError:
        month = None
    if month is None or month.frequency != "monthly":
        raise _Wrong(_("the month must be written like 2026-03"))
    if month.start > today:
        raise _Wrong(_("the month %(month)s has not begun", month=month.code))
    try:
        got, on_time, late = (count(cells.get(n)) for n in ("received", "on_time", "late"))
        apologies = count(cells.get("apologies")) or 0
    except (TypeError, ValueError):
        raise _Wrong(_("the counts must be whole numbers, 0 or more")) from None
    if got is None or on_time is None or late is None:
        raise _Wrong(_("received, on_time and late must all be given"))
    if on_time + late > got:
        raise _Wrong(_("more dossiers settled (%(settled)d) than received (%(got)d)",
                        settled=on_time + late, got=got))
    return Line(number, entry, month, got, on_time, late, apologies)


def read_lines(data: bytes, today: date) -> list[Line]:
    """Every line of the file checked; LinesRefused naming each wrong line."""
    header, rows = _table(data)
    known, lines, wrong = _procedures(), [], []
    for number, cells in rows:
        if len(cells) != len(header):
            wrong.append((number, _("%(got)d cells where the header has %(want)d",
                                    got=len(cells), want=len(header))))
            continue
        try:
            lines.append(_line(number, dict(zip(header, (c.strip() for c in cells),
                                                strict=True)), known, today))
        except _Wrong as why:
            wrong.append((number, str(why)))
    return _once_each(lines, wrong)


def read_records(records: list[dict], today: date) -> list[Line]:
    """The months posted as records (the file's columns as keys, counts as numbers), checked
    as the file's lines are; LinesRefused naming each wrong one by its place (1 = first)."""
    if not records:
        raise DomainError(_("Give at least one month's figures."), field="months")
    known, lines, wrong = _procedures(), [], []
    for number, record_ in enumerate(records, start=1):
        cells = {k: "" if record_.get(k) is None else str(record_[k]).strip() for k in COLUMNS}
        try:
            lines.append(_line(number, cells, known, today))
        except _Wrong as why:
            wrong.append((number, str(why)))
    return _once_each(lines, wrong)


def _once_each(lines: list[Line], wrong: list[tuple[int, str]]) -> list[Line]:
    """The lines, unless any is wrong or a procedure's month is given twice."""
    twice = Counter((line.entry.id, line.month.code) for line in lines)
    wrong += [(line.number, _("%(code)s for %(month)s is given twice in the file",
                              code=line.entry.national_code, month=line.month.code))
              for line in lines if twice[(line.entry.id, line.month.code)] > 1]
    if wrong:
        raise LinesRefused(sorted(wrong))
    return lines


def import_months(actor, stream, filename: str, *, replace: bool, today: date) -> list[str]:
    """Write every line of the file (or none): the months it names, replacing those imported
    before only when `replace`; returns the months written."""
    rules.ensure_manage(actor)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than the limit of %(mb)d MB.",
                            mb=MAX_BYTES // (1024 * 1024)), status=413, field="file")
    return _write(actor, read_lines(data, today), filename, replace=replace, today=today)


def post_months(actor, records: list[dict], *, replace: bool, today: date) -> list[str]:
    """Write every month posted through the API (or none), as an import of the file would;
    returns the months written."""
    rules.ensure_manage(actor)
    return _write(actor, read_records(records, today), API_SOURCE, replace=replace,
                  today=today)


def _write(actor, lines: list[Line], filename: str, *, replace: bool,
           today: date) -> list[str]:
    """Write the lines checked, in place of their months only when `replace`."""
    months = sorted({line.month.code for line in lines})
    taken = sorted(set(db.session.scalars(select(HandlingMonth.month).where(
        HandlingMonth.month.in_(months)))))
    if taken and not replace:
        raise Conflict(_("Already imported: %(months)s. Post them again with “replace” "
                         "true to replace them; nothing was written.",
                         months=", ".join(taken)) if filename == API_SOURCE else
                       _("Already imported: %(months)s. Tick “Replace the months already "
                         "imported” to replace them with this file; nothing was written.",
                         months=", ".join(taken)), field="replace")
    # A DELETE is not limited by the tenancy backstop (selects only): named here.
    replaced = db.session.execute(delete(HandlingMonth).where(
        HandlingMonth.organisation_id == tenancy.current_organisation_id(),
        HandlingMonth.month.in_(taken))).rowcount if taken else 0
    name = (filename or "handling.csv").replace("\\", "/").rsplit("/", 1)[-1][:255]
    now = utcnow()
    db.session.add_all([HandlingMonth(
        entry_id=line.entry.id, month=line.month.code, received=line.received,
        on_time=line.on_time, late=line.late, apologies=line.apologies, filename=name,
        imported_by_id=actor.id, imported_at=now) for line in lines])
    db.session.flush()
    record(actor, "scope_handling.import", "scope_handling", months[0],
           after={"filename": name, "months": ", ".join(months), "rows": len(lines),
                  "replaced": replaced})
    _feed(actor, {line.entry.measure_id for line in lines if line.entry.measure_id},
          [line.month for line in lines], today)
    return months


def _feed(actor, measure_ids: set[int], months: list[periods.Period], today: date) -> None:
    """Each linked measure's periods holding the months imported, recounted from its
    procedures' months."""
    for measure in db.session.scalars(select(Measure).where(Measure.id.in_(measure_ids))):
        if not measure.active:
            continue
        for period in sorted({periods.containing(measure.frequency, m.start) for m in months}):
            if measure.starts_on <= period.start <= today:
                _feed_period(actor, measure, period)


def _feed_period(actor, measure: Measure, period: periods.Period) -> None:
    codes = [p.code for p in periods.between("monthly", period.start, period.end)]
    rows = db.session.execute(select(HandlingMonth.received, HandlingMonth.on_time,
                                     HandlingMonth.late).join(HandlingMonth.entry).where(
        ScopeEntry.measure_id == measure.id, HandlingMonth.month.in_(codes))).all()
    got, on_time, late = (sum(r[i] for r in rows) for i in range(3))
    if not got and not measure.ratio:
        return  # nothing received: no rate to record for a measure of plain values
    checked = reading(measure, period, value=round(on_time * 100 / got, 2) if got else None,
                      received=got, on_time=on_time, late=late)
    value = db.session.scalar(select(MeasureValue).where(
        MeasureValue.measure_id == measure.id, MeasureValue.period == period.code))
    before = value.snapshot() if value else None
    if value is None:
        value = MeasureValue(measure_id=measure.id, period=period.code,
                             period_start=period.start, period_end=period.end,
                             recorded_at=utcnow(), note="")
        db.session.add(value)
    value.value, value.received, value.on_time, value.late = (
        checked.value, checked.received, checked.on_time, checked.late)
    value.target, value.missed = measure.target, measure.misses(checked.value)
    value.source, value.recorded_by_id, value.recorded_at = "import", actor.id, utcnow()
    value.measure = measure
    db.session.flush()
    record(actor, "measure_value.record", "measure", measure.id, before=before,
           after=value.snapshot())
    if value.missed:
        signals.measure_target_missed.send(measure, values=[value], actor=actor)
