"""The forms of the annual report: drafting a year, the template, a draft, the signature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from compliance.core.forms import VersionField


class DraftAnnualForm(FlaskForm):
    """Draft the report of a year from the template."""

    year = IntegerField(_l("Year"), validators=[
        DataRequired(_l("Enter the year of the report.")), NumberRange(2000, 2100)])
    submit = SubmitField(_l("Draft the annual report"))


class TemplateForm(FlaskForm):
    """The sections of the report, one a line."""

    sections = TextAreaField(_l("Sections"), validators=[DataRequired(), Length(max=20000)],
                             description=_l("One section a line: its title, “|”, and what it "
                                            "shows: a figure listed below, or “text” for a "
                                            "paragraph written for each report."))
    version = VersionField()
    submit = SubmitField(_l("Save the template"))


class AnnualForm(FlaskForm):
    """A draft report: the written paragraphs, the header, who signs."""

    paragraphs = FieldList(TextAreaField(validators=[Length(max=20000)]), min_entries=0)
    symbol = StringField(_l("Symbol"), validators=[DataRequired(), Length(max=32)])
    superior = StringField(_l("Its superior body"), validators=[Length(max=200)])
    recipients = TextAreaField(_l("Recipients"), validators=[Length(max=2000)],
                               description=_l("One per line."))
    signer_id = SelectField(_l("Signed by (head of the agency)"), coerce=int,
                            validators=[Optional()])
    signer_title = StringField(_l("Title of the signer"),
                               validators=[DataRequired(), Length(max=100)])
    version = VersionField()
    submit = SubmitField(_l("Save"))


class SignAnnualForm(FlaskForm):
    """Sign and issue the report: the password again."""

    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(_l("Enter your password to sign."))])
    version = VersionField()
    submit = SubmitField(_l("Sign and issue"))
