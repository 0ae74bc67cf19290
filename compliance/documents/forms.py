"""Forms of the document domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

TYPE_LABELS = {
    "manual": _l("Quality manual"), "policy": _l("Policy"), "procedure": _l("Procedure"),
    "work_instruction": _l("Work instruction"), "form": _l("Form"), "record": _l("Record"),
    "external": _l("External document"),
}
STATUS_LABELS = {
    "draft": _l("Draft"), "in_review": _l("In review"), "approved": _l("Approved"),
    "effective": _l("Effective"), "superseded": _l("Superseded"), "obsolete": _l("Obsolete"),
    "withdrawn": _l("Withdrawn"),
}

MEANING_LABELS = {"reviewed": _l("Reviewed"), "approved": _l("Approved"),
                  "rejected": _l("Rejected")}


class DocumentForm(FlaskForm):
    """The register entry of a document."""

    doc_type = SelectField(_l("Type"), choices=list(TYPE_LABELS.items()))
    department_id = SelectField(_l("Department"), coerce=int)
    code = StringField(_l("Code (leave empty to generate)"), validators=[Optional(),
                                                                          Length(max=40)])
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=int)
    clause_ids = SelectMultipleField(_l("ISO clauses it serves"), coerce=int)
    reader_department_ids = SelectMultipleField(_l("Other departments that must read it"),
                                                coerce=int)
    review_interval_months = IntegerField(_l("Review interval (months)"), default=12,
                                          validators=[DataRequired(), NumberRange(1, 120)])
    is_public = BooleanField(_l("Publish in the public register"))
    external_source = StringField(_l("Source (external documents)"),
                                  validators=[Optional(), Length(max=300)])
    external_edition = StringField(_l("Edition"), validators=[Optional(), Length(max=100)])
    external_check_date = DateField(_l("Check for a newer edition on"), validators=[Optional()])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Save"))


class UploadForm(FlaskForm):
    """A new draft revision."""

    file = FileField(_l("File (PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG)"),
                     validators=[FileRequired(_l("Choose a file."))])
    change_summary = TextAreaField(_l("What changed"), validators=[DataRequired(),
                                                                   Length(max=5000)])
    submit = SubmitField(_l("Upload draft"))


class SignForm(FlaskForm):
    """An electronic signature: meaning, password again, comment."""

    meaning = RadioField(_l("Meaning of my signature"), default="approved", choices=[
        ("reviewed", _l("Reviewed")), ("approved", _l("Approved for use"))])
    effective_date = DateField(_l("Effective date (today if empty)"), validators=[Optional()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign"))


class RejectForm(FlaskForm):
    """Send a revision back to its author."""

    comment = TextAreaField(_l("Reason for rejection"), validators=[DataRequired(),
                                                                   Length(max=5000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Reject"))


class ReviewForm(FlaskForm):
    """The periodic review of a document."""

    outcome = RadioField(_l("Outcome"), default="no_change", choices=[
        ("no_change", _l("No change needed")), ("revise", _l("Revise (opens a new draft)"))])
    comment = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Record the review"))


class ObsoleteForm(FlaskForm):
    """Withdraw a document."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Make obsolete"))
