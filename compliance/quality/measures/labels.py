"""Directions, frequencies, value sources and the reasons an imported row is refused, with
their translated labels (forms, services, pages and the later PDFs import them from here)."""

from __future__ import annotations

from flask_babel import gettext, pgettext
from flask_babel import lazy_gettext as _l

from compliance.quality.measures.periods import parse

DIRECTION_LABELS = {"higher": _l("Higher is better"), "lower": _l("Lower is better")}
FREQUENCY_LABELS = {"monthly": _l("Monthly"), "quarterly": _l("Quarterly"),
                    "half_yearly": _l("Six-monthly"), "yearly": _l("Yearly")}
# How a period of each frequency is written (CSV and forms).
PERIOD_EXAMPLES = {"monthly": "2026-03", "quarterly": "2026-Q1", "half_yearly": "2026-H1",
                   "yearly": "2026"}
SOURCE_LABELS = {"form": _l("Recorded by hand"), "import": _l("Imported from a CSV file")}
IMPORT_STATE_LABELS = {"previewed": _l("Waiting for confirmation"),
                       "confirmed": _l("Written")}
# Why a row of a CSV import is not written (the preview names each refused row's reason).
REFUSALS = {
    "columns": _l("The row does not have the columns of the header."),
    "unknown_measure": _l("No active measure has this code."),
    "not_allowed": _l("You may not record values of this measure."),
    "bad_period": _l("The period is not written as 2026-03, 2026-Q1, 2026-H1 or 2026."),
    "wrong_frequency": _l("The period does not match the measure's frequency."),
    "out_of_range": _l("The period is before the measure's first period or has not begun."),
    "not_a_number": _l("The value is not a number."),
    "counts": _l("This measure is a ratio: give received and on_time as whole numbers "
                 "(on_time not more than received)."),
    "missing_value": _l("The value is missing."),
    "duplicate_in_file": _l("The file has this measure and period twice."),
    "already_recorded": _l("A value is already recorded for this period."),
}

# The fields of a measure as its history names them; FIELD_VALUES: the enumerated ones.
FIELD_LABELS = {
    "code": _l("Code"), "process_id": _l("Process"), "name_vi": _l("Name (Vietnamese)"),
    "name_en": _l("Name (English)"), "unit": _l("Unit"), "direction": _l("Which way is better"),
    "target": _l("Target"), "frequency": _l("Frequency"), "first_period": _l("First period"),
    "recorder_id": _l("Who records it"), "ratio": _l("Dossiers settled on time ÷ received"),
    "customer_feedback": _l("Customer feedback"), "active": _l("Recorded (active)"),
}
FIELD_VALUES = {"direction": DIRECTION_LABELS, "frequency": FREQUENCY_LABELS,
                "source": SOURCE_LABELS}


def period_title(code: str) -> str:
    """A period as a reader writes it ("tháng 03/2026", "quý 1 năm 2026", "6 tháng đầu năm
    2026", "năm 2026"), not its code; a code that is not a period is shown as it is."""
    try:
        period = parse(code)
    except ValueError:
        return code
    year, month = period.year, period.start.month
    if period.frequency == "monthly":
        return pgettext("period", "month %(month)s/%(year)s", month=f"{month:02d}", year=year)
    if period.frequency == "quarterly":
        return pgettext("period", "quarter %(quarter)s of %(year)s", quarter=(month + 2) // 3,
                        year=year)
    if period.frequency == "half_yearly":
        return gettext("First half of %(year)s", year=year) if month == 1 else \
            gettext("Second half of %(year)s", year=year)
    return pgettext("period", "year %(year)s", year=year)
