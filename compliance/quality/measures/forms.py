"""Forms of the measure pages (labels live in `labels.py`).

Values, counts and periods are passed to the services as typed: their checks (and messages)
are the same for a form and for a CSV row."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from compliance.core.forms import DayField, VersionField, choice, pick, searchable
from compliance.quality.measures.labels import DIRECTION_LABELS, FREQUENCY_LABELS
from compliance.quality.measures.services.common import number


class NumberField(StringField):
    """A decimal number ("95", "98.5", "98,5"); a refusal says what was typed is no number."""

    def process_formdata(self, valuelist):
        """Read the number; keep what was typed when it is not one."""
        super().process_formdata(valuelist)
        try:
            number(self.data)
        except ValueError:
            raise ValueError(_l("“%(value)s” is not a number.", value=self.data)) from None


class MeasureForm(FlaskForm):
    """Define or change a measure."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    process_id = pick(_l("Process"), coerce=int, choose=_l("Choose the process."))
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(),
                                                                 Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Length(max=32)],
                       description=_l("e.g. %, dossiers, days"))
    direction = pick(_l("Direction"), choices=list(DIRECTION_LABELS.items()),
                       choose=_l("Choose whether a higher or a lower value is better."))
    target = NumberField(_l("Target"), validators=[DataRequired(
        message=_l("Give the target as a number."))])
    frequency = pick(_l("Frequency"), choices=list(FREQUENCY_LABELS.items()),
                       choose=_l("Choose how often the measure is recorded."))
    first_period = StringField(_l("First period"), validators=[DataRequired(),
                                                               Length(max=8)],
                               description=_l("Written 2026-01 (monthly), 2026-Q1, 2026-H1 "
                                              "or 2026."))
    recorder_id = choice(_l("Who records it"), coerce=int, render_kw=searchable(),
                         choose=_l("Choose the person who records the values."))
    ratio = BooleanField(_l("Computed as dossiers settled on time ÷ dossiers received × 100"))
    customer_feedback = BooleanField(
        _l("Customer satisfaction or feedback measure"),
        description=_l("Shown in the management review's input on customer satisfaction "
                       "and feedback (ISO 9001 9.1.2, 9.3.2 c 1)."))
    active = BooleanField(_l("Recorded (active)"), default=True)
    version = VersionField()
    submit = SubmitField(_l("Save"))


class ValueForm(FlaskForm):
    """The value of one period."""

    period = StringField(_l("Period"), validators=[DataRequired(), Length(max=8)])
    value = StringField(_l("Value"), validators=[Length(max=40)])
    received = StringField(_l("Dossiers received"), validators=[Length(max=12)])
    on_time = StringField(_l("Settled on time"), validators=[Length(max=12)])
    late = StringField(_l("Settled late"), validators=[Length(max=12)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    file = FileField(_l("Evidence file (optional)"))
    submit = SubmitField(_l("Record the value"))


class RaiseForm(FlaskForm):
    """A corrective action for a value that missed its target."""

    grade = pick(_l("Grade"), choose=_l("Choose the grade."))
    problem = TextAreaField(_l("Problem statement"), validators=[DataRequired(),
                                                                 Length(max=5000)])
    verifier_id = choice(_l("Verifier"), coerce=int,
                         choose=_l("Choose the verifier among those listed."))
    target_on = DayField(_l("Target date"), required=False,
                         description=_l("Empty: the grade's rule."))
    submit = SubmitField(_l("Raise a corrective action"))


class ImportForm(FlaskForm):
    """A CSV file of values, to preview."""

    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    submit = SubmitField(_l("Preview"))


class ConfirmForm(FlaskForm):
    """Write what the preview shows."""

    submit = SubmitField(_l("Write these values"))
