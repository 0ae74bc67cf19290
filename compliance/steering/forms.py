"""The forms of a steering committee member and of a plan task."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from compliance.core.forms import DateField, VersionField, pick
from compliance.steering.labels import ROLE_LABELS


class MemberForm(FlaskForm):
    """A member: who, in which role, appointed by which decision."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Name the member.")),
                                               Length(max=200)])
    position = StringField(_l("Position"), validators=[Length(max=200)],
                           description=_l("E.g. Phó Chủ tịch UBND huyện."))
    committee_role = pick(_l("Role in the committee"), choices=list(ROLE_LABELS.items()),
                          choose=_l("Choose the member's role."))
    user_id = SelectField(_l("User account"), coerce=int, validators=[Optional()])
    decision = StringField(_l("Appointing decision"), validators=[Length(max=200)],
                           description=_l("Number and symbol, e.g. 12/QĐ-UBND."))
    appointed_on = DateField(_l("Appointed on"), validators=[Optional()])
    left_on = DateField(_l("Left on"), validators=[Optional()],
                        description=_l("When a later decision relieved the member."))
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as the service takes them."""
        return {"name": self.name.data, "position": self.position.data,
                "committee_role": self.committee_role.data,
                "user_id": self.user_id.data or None, "decision": self.decision.data,
                "appointed_on": self.appointed_on.data, "left_on": self.left_on.data}


class TaskForm(FlaskForm):
    """A task of the yearly plan: what, who, by when, done when."""

    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    title = StringField(_l("Task"), validators=[DataRequired(_l("Say what the task is.")),
                                                Length(max=300)])
    owner_id = pick(_l("Owner"), coerce=int, choose=_l("Choose who owns the task."))
    due_on = DateField(_l("Due on"), validators=[DataRequired(_l("Give the task a due date."))])
    done_on = DateField(_l("Done on"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as the service takes them."""
        return {"year": self.year.data, "title": self.title.data,
                "owner_id": self.owner_id.data, "due_on": self.due_on.data,
                "done_on": self.done_on.data, "note": self.note.data}
