"""The forms of an announcement of conformity: the draft, and the signature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import VersionField

TEXTS = ("symbol", "issuer", "superior", "place", "signer_title", "legal_bases", "articles",
         "recipients")


class DraftForm(FlaskForm):
    """Draft a new decision from the scope."""

    submit = SubmitField(_l("Draft an announcement"))


class AnnouncementForm(FlaskForm):
    """The draft decision: header, bases, articles, recipients, who signs."""

    symbol = StringField(_l("Symbol"), validators=[DataRequired(), Length(max=32)])
    issuer = StringField(_l("Issuing body"), validators=[DataRequired(), Length(max=200)])
    superior = StringField(_l("Its superior body"), validators=[Length(max=200)])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=100)])
    legal_bases = TextAreaField(_l("Legal bases"), validators=[Length(max=5000)],
                                description=_l("One per line."))
    articles = TextAreaField(_l("Articles"), validators=[DataRequired(), Length(max=10000)],
                             description=_l("One per line: Điều 1, Điều 2, …"))
    recipients = TextAreaField(_l("Recipients"), validators=[Length(max=2000)],
                               description=_l("One per line."))
    signer_id = SelectField(_l("Signed by (head of the agency)"), coerce=int,
                            validators=[Optional()])
    signer_title = StringField(_l("Title of the signer"),
                               validators=[DataRequired(), Length(max=100)])
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def texts(self) -> dict:
        """The text fields as the service takes them."""
        return {name: getattr(self, name).data or "" for name in TEXTS}


class SignAnnouncementForm(FlaskForm):
    """Sign and issue the decision: the password again."""

    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(_l("Enter your password to sign."))])
    version = VersionField()
    submit = SubmitField(_l("Sign and issue"))
