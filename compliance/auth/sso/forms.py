"""The mapping rule form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import VersionField


class MappingRuleForm(FlaskForm):
    """A directory group (or claim value), the role it gives, and the department for a
    department role."""

    group = StringField(_l("Directory group or claim value"),
                        validators=[DataRequired(), Length(max=500)],
                        description=_l("As the directory or the token spells it, e.g. "
                                       "CN=TCKH-Heads,OU=Groups,DC=example,DC=vn; compared "
                                       "without case."))
    role = SelectField(_l("Role"))
    department_id = SelectField(_l("Department"), coerce=lambda v: int(v) if v else None,
                                validators=[Optional()],
                                description=_l("Only for head or staff of a department."))
    version = VersionField()
    submit = SubmitField(_l("Save"))


class DeleteRuleForm(FlaskForm):
    """Remove a rule (its CSRF token only)."""

    submit = SubmitField(_l("Remove"))
