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
                 "/api/v1/corrective-actions/{ca_id}/actions/{action_id}/done": "post"}
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
    approve = document["paths"][
        "/api/v1/documents/{document_id}/revisions/{revision_id}/approve"]["post"]
    assert "reauthentication_required" in approve["responses"]["403"]["description"]
    public = document["paths"]["/api/v1/public/documents/"]["get"]
    assert public["security"] == []  # no token
