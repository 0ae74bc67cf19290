"""Form fields every domain's edit forms share."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput


class VersionField(IntegerField):
    """The hidden `version` an edit form was shown with, for the service's conflict check
    (`core.db.check_version`). A posted form that lacks it has none: the field never falls
    back to the version of the record the form was built on (`obj=`), which would let a
    stale edit through as if it were current."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators if validators is not None else [Optional()],
                         **kwargs)

    def process_formdata(self, valuelist):
        """Only what was sent counts; nothing sent is no version (a version that is not a
        number stays a field error, shown on the form with the input kept)."""
        if not valuelist:
            self.data = None
            return
        super().process_formdata(valuelist)
