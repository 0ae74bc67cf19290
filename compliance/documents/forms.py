"""Forms of the document domain (labels and choices come from labels.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from compliance.core.forms import DateField, RadioGroup, VersionField, choice, pick, searchable
from compliance.documents.chain import MAX_STEPS
from compliance.documents.labels import (
    MEANINGS,
    OUTCOMES,
    RECALL_ANSWER_LABELS,
    RECALL_ANSWERS,
    REVIEW_CHOICES,
    SIGN_CHOICES,
    STEP_MEANING_LABELS,
    STEP_ROLE_LABELS,
    TYPE_LABELS,
)

# The messages name what is missing, rather than WTForms' "This field is required."
PASSWORD_REQUIRED = _l("Enter your password to sign.")


class DocumentForm(FlaskForm):
    """The register entry of a document."""

    doc_type = pick(_l("Type"), choices=list(TYPE_LABELS.items()),
                    choose=_l("Choose the type of document."))
    department_id = pick(_l("Department"), coerce=int,
                         choose=_l("Choose the department that owns it."))
    code = StringField(_l("Code (leave empty to generate)"), validators=[Optional(),
                                                                          Length(max=40)])
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[
        DataRequired(_l("A Vietnamese title is required.")), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    owner_id = pick(_l("Owner"), coerce=int, search=True,
                    choose=_l("Choose who owns the document."))
    clause_ids = SelectMultipleField(_l("ISO clauses it serves"), coerce=int,
                                     render_kw=searchable())
    reader_department_ids = SelectMultipleField(_l("Other departments that must read it"),
                                                coerce=int)
    review_interval_months = IntegerField(_l("Review interval (months)"), default=12,
                                          validators=[DataRequired(), NumberRange(1, 120)])
    is_public = BooleanField(_l("Publish in the public register"))
    external_source = StringField(_l("Source (external documents)"),
                                  validators=[Optional(), Length(max=300)])
    external_edition = StringField(_l("Edition"), validators=[Optional(), Length(max=100)])
    external_check_date = DateField(_l("Check for a newer edition on"), validators=[Optional()])
    version = VersionField()
    submit = SubmitField(_l("Save"))


class UploadForm(FlaskForm):
    """A new draft revision."""

    file = FileField(_l("File (PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG)"),
                     validators=[FileRequired(_l("Choose a file."))])
    change_summary = TextAreaField(_l("What changed"), validators=[
        DataRequired(_l("Describe what changed in this revision.")), Length(max=5000)])
    submit = SubmitField(_l("Upload draft"))


class SignForm(FlaskForm):
    """An electronic signature: meaning, password again, comment."""

    # The page offers the meanings of the steps awaiting the signer (web.revisions).
    meaning = RadioGroup(_l("Meaning of my signature"), default="approved",
                         choices=SIGN_CHOICES, validate_choice=False, validators=[
                             AnyOf(list(MEANINGS),
                                   message=_l("Choose what your signature means."))])
    effective_date = DateField(_l("Effective date (today if empty)"), validators=[Optional()],
                               description=_l("Used when yours is the last signature the "
                                              "chain awaits."))
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    submit = SubmitField(_l("Sign"))


class ChainStepForm(Form):
    """One row of a chain: its place in the order, what the signature means, who signs.
    A row without a meaning is left out."""

    position = choice(_l("Step number"), choose=_l("Choose the step number."),
                      coerce=int, default=1,
                      choices=[(n, str(n)) for n in range(1, MAX_STEPS + 1)])
    meaning = choice(_l("Meaning of the signature"), choose=_l("Choose what the step means."),
                     default="", choices=[("", "—"), *STEP_MEANING_LABELS.items()])
    role = choice(_l("Signed by"), choose=_l("Choose who signs the step."),
                  default="approver", choices=list(STEP_ROLE_LABELS.items()))


class ChainForm(FlaskForm):
    """The steps of an approval chain (a document type's)."""

    steps = FieldList(FormField(ChainStepForm), min_entries=MAX_STEPS, max_entries=MAX_STEPS)
    version = VersionField()
    submit = SubmitField(_l("Save the chain"))

    def chosen_steps(self) -> list[tuple[int, str, str]]:
        """The rows filled in, as (position, meaning, role)."""
        return [(row.position.data, row.meaning.data, row.role.data)
                for row in self.steps if row.meaning.data]

    def show(self, steps) -> None:
        """Fill the rows with a chain's steps (the rest left empty)."""
        for row, (position, meaning, role) in zip(self.steps, steps, strict=False):
            row.position.data, row.meaning.data, row.role.data = position, meaning, role


class DocumentChainForm(ChainForm):
    """A document's own chain, or back to its type's: the reason is kept with it."""

    use_type_chain = BooleanField(_l("Follow the chain of the document's type"))
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for this document's approval chain.")),
        Length(max=2000)])


class RejectForm(FlaskForm):
    """Send a revision back to its author."""

    comment = TextAreaField(_l("Reason for rejection"), validators=[
        DataRequired(_l("Say why the revision is rejected.")), Length(max=5000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    submit = SubmitField(_l("Reject"))


class ReviewForm(FlaskForm):
    """The periodic review of a document."""

    outcome = RadioGroup(_l("Outcome"), default="no_change", choices=REVIEW_CHOICES,
                         validate_choice=False, validators=[
                             AnyOf(list(OUTCOMES),
                                   message=_l("Choose the outcome of the review."))])
    comment = TextAreaField(_l("Comment"), validators=[
        DataRequired(_l("Write a comment for the review record.")), Length(max=5000)])
    submit = SubmitField(_l("Record the review"))


class ObsoleteForm(FlaskForm):
    """Withdraw a document: the reason, signed with the password."""

    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason why the document is withdrawn.")), Length(max=2000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    version = VersionField()
    submit = SubmitField(_l("Make obsolete"))


class ReinstateForm(FlaskForm):
    """Bring an obsolete document back into use: the reason, signed with the password."""

    reason = TextAreaField(_l("Reason for reinstating"), validators=[
        DataRequired(_l("Give the reason why the document is reinstated.")), Length(max=2000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    version = VersionField()
    submit = SubmitField(_l("Reinstate"))


class RecallAnswerForm(FlaskForm):
    """What the holder of a superseded controlled copy did with it."""

    answer = RadioGroup(_l("What did you do with your copy?"),
                        choices=list(RECALL_ANSWER_LABELS.items()), validate_choice=False,
                        validators=[AnyOf(list(RECALL_ANSWERS), message=_l(
                            "Say whether you destroyed or returned the copy."))])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record my answer"))
