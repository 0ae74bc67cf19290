"""A blueprint whose arguments may come from a multipart form: its fields and its files in
one schema (`location="form_and_files"`), documented as one multipart request body."""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict


class _Parser(FlaskParser):
    """webargs' Flask parser, with the form's fields and files read together."""

    __location_map__ = {**FlaskParser.__location_map__,
                        "form_and_files": "load_form_and_files"}

    def load_form_and_files(self, req, schema):
        """The fields and the files of a multipart form, as one mapping."""
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, taking multipart forms as one argument schema."""

    ARGUMENTS_PARSER = _Parser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "form_and_files": "multipart/form-data"}
