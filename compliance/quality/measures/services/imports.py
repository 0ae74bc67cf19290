"""Values imported from a CSV file: uploaded and previewed (nothing written), then confirmed
(every row the preview offered, in one transaction, or nothing).

The format (docs/user-guide.md, "Importing values from a CSV file"): UTF-8 (a BOM is fine),
comma- or semicolon-separated, a header row naming the columns in any order:
`measure` (the measure's code) and `period` (2026-03, 2026-Q1, 2026-H1 or 2026), then
`value`, or for a ratio measure `received`, `on_time` and optionally `late`; `note` is
optional. Sends `core.signals.measure_import_confirmed` (sender: the MeasureImport; `missed`:
the values written that miss their target; `actor`) once its rows are written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import selectinload

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core import signals
from compliance.core.csv_text import csv_lines
from compliance.core.db import utcnow
from compliance.core.errors import Conflict, DomainError, NotFound
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.quality.measures import queries, rules
from compliance.quality.measures.models import Measure, MeasureImport, MeasureValue
from compliance.quality.measures.services.common import (
    Reading,
    Refusal,
    check_period,
    reading,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
COLUMNS = ("measure", "period", "value", "received", "on_time", "late", "note")
MAX_NOTE = 2000


@dataclass
class Row:
    """One data row of the file, as read and judged."""

    line: int
    code: str
    period: str
    cells: dict
    note: str = ""
    measure: Measure | None = None
    checked: Reading | None = None
    reason: str | None = None

    @property
    def missed(self) -> bool:
        """Whether the value would miss the measure's target."""
        return bool(self.measure and self.checked and self.measure.misses(self.checked.value))


@dataclass
class Preview:
    """What a confirmation would write, and what it refuses, with the reason."""

    rows: list[Row]
    refused: list[Row]
    digest: str


def _file_error(message: str) -> DomainError:
    return DomainError(message, field="file")


def read_rows(data: bytes) -> list[Row]:
    """The data rows of a CSV file; a file that cannot be read at all is refused whole."""
    lines = csv_lines(data)
    try:
        header = [name.strip().lower() for name in next(lines)]
    except StopIteration:
        raise _file_error(_("The file is empty.")) from None
    except csv.Error:
        raise _file_error(_("The file cannot be read as CSV.")) from None
    _check_header(header)
    rows: list[Row] = []
    try:
        for cells in lines:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _file_error(_("The file has more than %(count)d rows: split it.",
                                    count=MAX_ROWS))
            rows.append(_row(lines.line_num, header, cells))
    except csv.Error:
        raise _file_error(_("The file cannot be read as CSV (line %(line)d).",
                            line=lines.line_num)) from None
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or len(set(header)) != len(header):
        raise _file_error(_("Unknown or repeated columns: %(names)s. The columns are: "
                            "%(known)s.", names=", ".join(unknown) or ", ".join(header),
                            known=", ".join(COLUMNS)))
    if "measure" not in header or "period" not in header:
        raise _file_error(_("The header must name the columns measure and period."))
    if "value" not in header and not {"received", "on_time"} <= set(header):
        raise _file_error(_("The header must name the column value, or received and "
                            "on_time."))


def _row(line: int, header: list[str], cells: list[str]) -> Row:
    values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
    row = Row(line, values.get("measure", "").upper(), values.get("period", ""), values,
              values.get("note", "")[:MAX_NOTE])
    if len(cells) != len(header):
        row.reason = "columns"
    return row


def judge(actor, rows: list[Row], today: date) -> Preview:
    """Check every row against the measures, the user's rights and what is recorded."""
    measures = {m.code: m for m in db.session.scalars(select(Measure).where(
        Measure.code.in_({r.code for r in rows if r.code}), Measure.active.is_(True)))}
    allowed = {m.id: rules.may_record(actor, m) for m in measures.values()}
    for row in rows:
        if row.reason:
            continue
        row.measure = measures.get(row.code)
        if row.measure is None:
            row.reason = "unknown_measure"
        elif not allowed[row.measure.id]:
            row.reason = "not_allowed"
        else:
            _check(row, today)
    _refuse_duplicates(rows)
    accepted = [r for r in rows if r.reason is None]
    refused = [r for r in rows if r.reason is not None]
    return Preview(accepted, refused, _digest(accepted))


def _check(row: Row, today: date) -> None:
    cells = row.cells
    try:
        row.checked = reading(row.measure, check_period(row.measure, row.period, today),
                              value=cells.get("value"), received=cells.get("received"),
                              on_time=cells.get("on_time"), late=cells.get("late"))
    except Refusal as refusal:
        row.reason = refusal.code


def _refuse_duplicates(rows: list[Row]) -> None:
    """Twice in the file: neither is written (which is right?); recorded already: refused."""
    live = [r for r in rows if r.reason is None]
    seen = Counter((r.measure.id, r.checked.period.code) for r in live)
    for row in live:
        if seen[(row.measure.id, row.checked.period.code)] > 1:
            row.reason = "duplicate_in_file"
    live = [r for r in live if r.reason is None]
    wanted = {(r.measure.id, r.checked.period.code) for r in live}
    recorded = set()
    pairs = sorted(wanted)
    for start in range(0, len(pairs), 500):
        recorded.update(db.session.execute(
            select(MeasureValue.measure_id, MeasureValue.period).where(
                tuple_(MeasureValue.measure_id, MeasureValue.period).in_(
                    pairs[start:start + 500]))).all())
    for row in live:
        if (row.measure.id, row.checked.period.code) in recorded:
            row.reason = "already_recorded"


def _digest(rows: list[Row]) -> str:
    content = [(r.measure.id, *r.checked.key(), r.note) for r in rows]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def upload(actor, stream, filename: str, today: date) -> MeasureImport:
    """Keep an uploaded CSV for its preview (no value is written before confirmation)."""
    rules.ensure(rules.may_import(actor, queries.records_some(actor)),
                 _("Only those who record or manage measures import values."))
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than the limit of %(mb)d MB.",
                            mb=MAX_BYTES // (1024 * 1024)), status=413, field="file")
    preview = judge(actor, read_rows(data), today)
    blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
    name = (filename or "values.csv").replace("\\", "/").rsplit("/", 1)[-1][:255]
    row = MeasureImport(blob_sha256=blob.sha256, filename=name, file_size=blob.size,
                        uploaded_by_id=actor.id, uploaded_at=utcnow(), status="previewed",
                        digest=preview.digest)
    db.session.add(row)
    db.session.flush()
    record(actor, "measure_import.upload", "measure_import", row.id,
           after={"filename": name, "sha256": blob.sha256, "rows": len(preview.rows),
                  "refused": len(preview.refused)})
    return row


def get_import(user, import_id: int, for_update: bool = False) -> MeasureImport:
    """An import the user may see, or NotFound / PermissionDenied."""
    found = db.session.get(MeasureImport, import_id, with_for_update=for_update)
    if found is None:
        raise NotFound(_("No such import."))
    rules.ensure_read_import(user, found)
    return found


def preview(upload_row: MeasureImport, today: date) -> Preview:
    """The preview of an import as its uploader would have it confirmed now."""
    uploader = db.session.get(User, upload_row.uploaded_by_id)
    data = get_store().read(upload_row.blob_sha256)
    return judge(uploader, read_rows(data), today)


def confirm(actor, upload_row: MeasureImport, today: date) -> int:
    """Write every row the preview offered, or nothing if anything changed since."""
    rules.ensure(rules.may_confirm_import(actor, upload_row),
                 _("Only the person who uploaded the file confirms its import."))
    if upload_row.status != "previewed":
        raise Conflict(_("This import is written already."))
    current = preview(upload_row, today)
    if current.digest != upload_row.digest:
        raise Conflict(_("The values changed since the preview (a value was recorded or a "
                         "measure changed meanwhile): nothing was written. Upload the file "
                         "again to see a new preview."))
    if not current.rows:
        raise DomainError(_("No row of this file can be written."), status=409)
    now = utcnow()
    # A Core INSERT, one executemany: the ORM's bulk insert leaves None out of each row, so
    # ratio and plain rows (counts or none) would be sent one statement at a time.
    db.session.execute(insert(MeasureValue.__table__), [_values(r, upload_row, actor, now)
                                                        for r in current.rows])
    upload_row.status, upload_row.confirmed_at = "confirmed", now
    upload_row.rows_written, upload_row.rows_refused = len(current.rows), len(current.refused)
    db.session.flush()
    _record(actor, upload_row, current.rows)
    _announce(actor, upload_row)
    return len(current.rows)


def _values(row: Row, upload_row: MeasureImport, actor, now) -> dict:
    checked, measure = row.checked, row.measure
    return {"measure_id": measure.id, "period": checked.period.code,
            "period_start": checked.period.start, "period_end": checked.period.end,
            "value": checked.value, "received": checked.received,
            "on_time": checked.on_time, "late": checked.late, "target": measure.target,
            "missed": measure.misses(checked.value), "note": row.note, "source": "import",
            "import_id": upload_row.id, "recorded_by_id": actor.id, "recorded_at": now}


def _record(actor, upload_row: MeasureImport, rows: list[Row]) -> None:
    """One event for the import, naming every measure and period written (one event per
    measure would cost a thousand appends to the chain for a large file)."""
    written: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        written[row.measure.code].append(row.checked.period.code)
    record(actor, "measure_import.confirm", "measure_import", upload_row.id,
           after={"sha256": upload_row.blob_sha256, "written": upload_row.rows_written,
                  "refused": upload_row.rows_refused,
                  "values": {code: sorted(codes) for code, codes in sorted(written.items())}})


def _announce(actor, upload_row: MeasureImport) -> None:
    missed = db.session.scalars(select(MeasureValue).where(
        MeasureValue.import_id == upload_row.id, MeasureValue.missed.is_(True))
        .options(selectinload(MeasureValue.measure))
        .order_by(MeasureValue.measure_id, MeasureValue.period_start)).all()
    if missed:
        signals.measure_import_confirmed.send(upload_row, missed=missed, actor=actor)
