"""The form of an external document's register entry."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import DateField, VersionField, pick
from compliance.documents.external.labels import KIND_LABELS, STATUS_LABELS

LEGAL = ("legal_kind", "legal_number", "external_source", "legal_issued_on", "legal_status",
         "replaced_by_id", "external_check_date", "external_checked_on")


class ExternalForm(FlaskForm):
    """An external legal document: what it is, who issued it, whether it is in force."""

    department_id = pick(_l("Department"), coerce=int,
                         choose=_l("Choose the department that keeps it."))
    legal_kind = pick(_l("Kind of legal document"), choices=list(KIND_LABELS.items()),
                      choose=_l("Choose the kind of document."))
    legal_number = StringField(_l("Number and symbol"), validators=[Length(max=64)],
                               description=_l("As printed on it, e.g. 30/2020/NĐ-CP."))
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[
        DataRequired(_l("A Vietnamese title is required.")), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    external_source = StringField(lazy_pgettext("legal document", "Issuing body"),
                                  validators=[Length(max=300)])
    legal_issued_on = DateField(_l("Date issued"), validators=[Optional()])
    legal_status = pick(_l("Legal status"), choices=list(STATUS_LABELS.items()),
                        choose=_l("Choose whether it is in force."))
    replaced_by_id = pick(_l("Replaced by"), coerce=int, required=False,
                          choose=_l("Choose among the listed entries."))
    external_checked_on = DateField(_l("Last checked on"), validators=[Optional()])
    external_check_date = DateField(_l("Next check on"), validators=[Optional()],
                                    description=_l("The coordinators are reminded then."))
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def legal(self) -> dict:
        """The register's fields as the service takes them."""
        return {name: getattr(self, name).data for name in LEGAL}
