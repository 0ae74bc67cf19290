"""Issue 15: the generated OpenAPI document is valid OpenAPI 3.1 and says, for every
operation, what its errors look like, which ETag it answers and which If-Match it needs."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

WRITES = {"post", "put", "patch", "delete"}


@pytest.mark.one_database
def test_the_document_validates_and_describes_errors_and_versions(app, client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)  # raises on the first departure from the OpenAPI 3.1 schema
    error = document["components"]["schemas"]["ErrorBody"]
    assert {"status", "code", "message", "field", "link"} <= set(error["properties"])
    for name in ("NOT_FOUND", "PRECONDITION_FAILED", "PRECONDITION_REQUIRED",
                 "UNPROCESSABLE_ENTITY"):
        assert document["components"]["responses"][name]["content"]["application/json"][
            "schema"] == {"$ref": "#/components/schemas/Error"}
    versioned = {"/api/v1/processes/{process_id}": "patch",
                 "/api/v1/documents/{document_id}/revisions/{revision_id}/submit": "post",
                 "/api/v1/audits/{audit_id}/items/{item_id}/result": "put",
                 "/api/v1/corrective-actions/{ca_id}/actions/{action_id}/done": "post",
                 "/api/v1/measures/{measure_id}": "patch",
                 "/api/v1/objectives/{objective_id}/items/{plan_item_id}": "patch",
                 "/api/v1/risks/{risk_id}/status": "post",
                 "/api/v1/audits/{audit_id}/findings/{finding_id}/due": "put"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":  # the path's own (its ids), not an operation
                continue
            responses = operation["responses"]
            assert "default" in responses, (path, method)  # the error answer, documented
            if method in WRITES and path.startswith("/api/v1/public/"):
                pytest.fail(f"the public register is read only: {method} {path}")
            headers = {p["name"] for p in operation.get("parameters", ())
                       if p["in"] == "header"}
            if versioned.get(path) == method:
                assert "If-Match" in headers, path
                assert {"412", "428"} <= set(responses), path
            read_one = path in versioned or path.endswith("{document_id}")
            if read_one and method == "get":
                assert "ETag" in responses["200"].get("headers", {}), path
    upload = document["paths"]["/api/v1/documents/{document_id}/revisions/"]["post"]
    body = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    form = document["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert form["properties"]["file"]["format"] == "binary"
    for path, method in (("/api/v1/objectives/{objective_id}", "delete"),
                         ("/api/v1/objectives/{objective_id}/items/{plan_item_id}", "delete"),
                         ("/api/v1/risks/{risk_id}/actions/{treatment_id}", "patch"),
                         ("/api/v1/risks/{risk_id}/actions/{treatment_id}", "delete")):
        operation = document["paths"][path][method]
        assert "If-Match" in {p["name"] for p in operation["parameters"]}, (path, method)
        assert {"403", "404", "409", "412", "428"} <= set(operation["responses"]), path
    assert "204" in document["paths"]["/api/v1/objectives/{objective_id}"]["delete"][
        "responses"]
    for path in ("/api/v1/corrective-actions/{ca_id}/actions/{action_id}/done-with-evidence",
                 "/api/v1/measures/{measure_id}/values/with-evidence",
                 "/api/v1/measures/imports/"):
        assert "multipart/form-data" in document["paths"][path]["post"]["requestBody"][
            "content"], path
    approve = document["paths"][
        "/api/v1/documents/{document_id}/revisions/{revision_id}/approve"]["post"]
    assert "reauthentication_required" in approve["responses"]["403"]["description"]
    public = document["paths"]["/api/v1/public/documents/"]["get"]
    assert public["security"] == []  # no token
    assert "429" not in public["responses"]  # no token, no token's limit
    limited = document["components"]["responses"]["TOO_MANY_REQUESTS"]
    assert "Retry-After" in limited["headers"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "parameters" and operation.get("security") != []:
                assert "429" in operation["responses"], (method, path)
    # The main operations' bodies and answers show an example of each field that matters.
    schemas = document["components"]["schemas"]
    for name, fields in (("ValueRecord", ("period", "value", "received", "on_time")),
                         ("Value", ("period", "value", "missed")),
                         ("Measure", ("code", "target")), ("RegisterRow", ("code", "label")),
                         ("UploadForm", ("change_summary",)), ("Corrective", ("reference",)),
                         ("FindingRaise", ("grade", "description")),
                         ("ReviewRecord", ("outcome", "comment"))):
        for field in fields:
            assert "example" in schemas[name]["properties"][field], (name, field)


def _integers(schema: dict, document: dict, where: str):
    """(where, schema) of every integer a request may send, through $refs and properties."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = document["components"]["schemas"][name]
        where = f"{where} ({name})"
    kinds = schema.get("type")
    if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds):
        yield where, schema
    for name, inner in schema.get("properties", {}).items():
        yield from _integers(inner, document, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _integers(schema["items"], document, f"{where}[]")


@pytest.mark.one_database
def test_every_integer_a_request_sends_is_bounded_as_the_databases_hold_them(client):
    """Every integer of a path, a query or a body has a maximum within PostgreSQL's integer:
    a larger value is refused at its field (422) or not routed (404), never passed to a query
    that overflows (the API fuzz found three that were)."""
    document = client.get("/api/v1/openapi.json").json
    unbounded = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            sources = [(f"{method} {path} {p['in']} {p['name']}", p.get("schema", {}))
                       for p in operation.get("parameters", []) + operations.get("parameters", [])]
            for kind in operation.get("requestBody", {}).get("content", {}).values():
                sources.append((f"{method} {path} body", kind.get("schema", {})))
            for where, schema in sources:
                for found, integer in _integers(schema, document, where):
                    if integer.get("maximum", 2**63) > 2**31 - 1:
                        unbounded.append(found)
    assert unbounded == []
