"""Sign-in, language and account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from compliance.auth.labels import (
    GLOBAL_ROLE_CHOICES,
    LOCALE_CHOICES,
    MEMBERSHIP_ROLE_CHOICES,
    SCOPE_CHOICES,
)
from compliance.core.forms import VersionField, pick


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Sign in"))


class LanguageForm(FlaskForm):
    """The language switch in the navigation bar."""

    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    """A user changes their own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(),
                                        EqualTo("new", _l("The passwords differ."))])
    submit = SubmitField(_l("Change password"))


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UserForm(FlaskForm):
    """An administrator creates or edits an account."""

    # Stripped first: a pasted address often ends in a space, which Email() would refuse.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                       filters=[_strip])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    locale = pick(_l("Language"), choices=LOCALE_CHOICES,
                  choose=_l("Choose the language the person reads the pages in."))
    roles = MultiCheckboxField(_l("Organisation-wide roles"), choices=GLOBAL_ROLE_CHOICES)
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=1024)])
    version = VersionField()
    submit = SubmitField(_l("Save"))


class MembershipForm(FlaskForm):
    """Add a user to a department as head or staff."""

    department_id = pick(_l("Department"), coerce=int, choose=_l("Choose the department."))
    role = pick(_l("Role"), choices=MEMBERSHIP_ROLE_CHOICES,
                choose=_l("Choose the role in the department."))
    submit = SubmitField(_l("Add"))


class ResetPasswordForm(FlaskForm):
    """An administrator sets a new password for someone."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Set password"))



class TokenForm(FlaskForm):
    """A person creates a personal access token for the API."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. the web portal."))
    scope = SelectField(_l("Scope"), choices=SCOPE_CHOICES, default="read")
    days = IntegerField(_l("Valid for (days)"), default=90,
                        validators=[DataRequired(), NumberRange(min=1, max=366)],
                        description=_l("At most one year."))
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    """The revoke button of one token."""

    submit = SubmitField(_l("Revoke"))


class ServiceAccountForm(FlaskForm):
    """An administrator creates a service account for an integration."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("The integration it serves, e.g. the one-stop-shop "
                                      "software."))
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                       filters=[_strip],
                       description=_l("An address of its own, read by whoever looks after "
                                      "the integration."))
    roles = MultiCheckboxField(_l("Organisation-wide roles"), choices=GLOBAL_ROLE_CHOICES,
                               description=_l("What its tokens may do; department "
                                              "memberships are added on its page."))
    submit = SubmitField(_l("Create service account"))


class ServiceTokenForm(TokenForm):
    """An administrator creates a token for a service account."""

    account_id = pick(_l("Service account"), coerce=int,
                      choose=_l("Choose the service account."))


class CodeForm(FlaskForm):
    """The six digits of an authenticator app (or a recovery code)."""

    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=20)],
                       description=_l("Six digits; or one of your recovery codes."))
    submit = SubmitField(_l("Continue"))


class SwitchOffForm(FlaskForm):
    """Remove the second factor, with the password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Switch the second factor off"))
