"""The quicker select widget (compliance/core/select_markup.py) draws what WTForms' own does,
byte for byte, for every kind of choice the product's forms have."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, SelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import Select

from compliance.core.select_markup import FastSelect, install

pytestmark = pytest.mark.one_database

CHOICES = [(0, "— chọn —"), (1, 'Phòng "Tư pháp" & <Hộ tịch>'), (2, ""), ("x", "Khác"),
           (True, "Có"), (Markup('a"b'), Markup("<b>đậm</b>"))]


class Sample(Form):
    one = SelectField(choices=CHOICES, coerce=str, validators=[DataRequired()])
    many = SelectMultipleField(choices=CHOICES, coerce=str)
    grouped = SelectField(choices={"Nội bộ": [("a", "A")], "Bên ngoài": [("b", "B")]})
    marked = SelectField(choices=[("a", "A", {"data-code": "QT-01"}), ("b", "B", {})])


@pytest.mark.filterwarnings("ignore:Passing SelectField choices in a dict")
@pytest.mark.parametrize("data", [{}, {"one": "1", "many": ["1", "x"], "grouped": "b",
                                       "marked": "a"}])
def test_the_markup_is_wtforms_own(data):
    form = Sample(MultiDict([(k, v) for k, vs in data.items()
                             for v in (vs if isinstance(vs, list) else [vs])]))
    form.validate()
    for field, multiple in ((form.one, False), (form.many, True), (form.grouped, False),
                            (form.marked, False)):
        for attrs in ({}, {"class": "form-select is-invalid", "aria_describedby": "x-error-0"},
                      {"required": False, "disabled": True}):
            assert FastSelect(multiple)(field, **attrs) == Select(multiple)(field, **attrs)


def test_installed_on_the_select_fields(app):
    install()
    assert type(SelectField.widget) is FastSelect
    assert SelectMultipleField.widget.multiple
