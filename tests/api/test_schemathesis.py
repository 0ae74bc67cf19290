"""The API fuzzed from its own OpenAPI document (issue 15): schemathesis generates requests
for every operation, valid ones and invalid ones, against a real server process on the
seeded demo, with a read-write token of the demo's coordinator. No answer may be a 5xx or
depart from the document (its status codes, content types, headers and schemas), and the
audit trail verifies afterwards.

The server is a child forked from an app built once (as tests/test_crash.py does): a real
process on a socket on 127.0.0.1, started in milliseconds. SQLite only, like the form fuzz:
what is fuzzed is the parsing and validation of requests and the services behind them."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.stateful import run_state_machine_as_test
from sqlalchemy import select

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.demo import email_of
from tests import forked_server
from tests.api.test_api_matrix import api_routes
from tests.conftest import make_app

pytestmark = [pytest.mark.slow, pytest.mark.one_database]
# At least this many requests in all, shared evenly among the operations (the floor).
REQUESTS = int(os.environ.get("API_FUZZ_REQUESTS", "3000"))
# Chains along the document's links (list/create -> read -> update), of a few steps each.
SCENARIOS = int(os.environ.get("API_FUZZ_SCENARIOS", "40"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base URL, the coordinator's read-write token, the app) of a server child on the demo."""
    app = make_app("sqlite", tmp_path_factory.mktemp("api-fuzz"), RATELIMIT_ENABLED=False,
                   API_RATE_LIMIT="")
    seeded = app.test_cli_runner().invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    with app.app_context():
        user = db.session.scalar(select(User).where(
            User.email == email_of("thu.tran")))
        _token, secret = tokens.create(user, "schemathesis", "read write")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # the child opens its own connections
    pid, port = forked_server.start(app)
    try:
        yield f"http://127.0.0.1:{port}", secret, app
    finally:
        forked_server.stop(pid)


def _fuzz(operation, mode, examples: int, session, base_url: str, secret: str,
          tally: Counter, failures: list) -> None:
    """Send `examples` generated requests of one operation; note each status and failure."""
    auth = {"Authorization": f"Bearer {secret}"}

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode))
    def send(case):
        response = case.call(base_url=base_url, session=session, headers=auth, timeout=60)
        _check(response, case, auth, tally, failures, f"{operation.label} ({mode.value})")

    send()


def _check(response, case, auth: dict, tally: Counter, failures: list, label: str) -> None:
    """Count the answer by hundred and note what departs from the document."""
    tally[response.status_code // 100 * 100] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=auth)
    except FailureGroup as group:
        failures.append(f"{label} {response.status_code}: "
                        + "; ".join(str(f.title) for f in group.exceptions)
                        + f"\n  {case.as_curl_command()[:400]}")
    except AssertionError as failure:
        failures.append(f"{label} {response.status_code}: {failure}"
                        f"\n  {case.as_curl_command()[:400]}")


def _follow_links(schema, session, base_url: str, secret: str, tally: Counter,
                  failures: list) -> int:
    """Scenarios along the document's links (a list's first row, a created row, then its
    read and its change with the ETag just answered); returns how many steps a link fed."""
    auth = {"Authorization": f"Bearer {secret}"}
    followed = Counter()

    class Links(schema.as_state_machine()):
        def step(self, input):
            followed[input.transition is not None and input.is_applied] += 1
            return super().step(input)

        def get_call_kwargs(self, case):
            return {"base_url": base_url, "session": session, "headers": auth, "timeout": 60}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            _check(response, case, auth, tally, failures, f"{case.operation.label} (linked)")

    run_state_machine_as_test(Links, settings=settings(
        max_examples=SCENARIOS, stateful_step_count=6, derandomize=True, database=None,
        deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    return followed[True]


def test_generated_requests_answer_no_5xx_and_keep_to_the_document(live):
    base_url, secret, app = live
    document = requests.get(f"{base_url}/api/v1/openapi.json", timeout=60).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation the app routes is in the document, so every one is fuzzed.
    routed = {key for key in api_routes(app)
              if not key[0].startswith(("api-docs.", "api_reference."))}
    assert len(operations) == len(routed), [op.label for op in operations]
    # Half the requests keep to the document, half break it (a wrong type, a missing field,
    # a value out of range): both must be answered, the second with a 4xx.
    per_mode = -(-REQUESTS // (2 * len(operations)))
    tally, failures = Counter(), []
    with requests.Session() as session:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, per_mode, session, base_url, secret, tally, failures)
        sent = sum(tally.values())
        linked = _follow_links(schema, session, base_url, secret, tally, failures)
    print(f"\nAPI fuzz: {len(operations)} operations, {sent} requests, then "
          f"{sum(tally.values()) - sent} along links ({linked} fed by a link), "
          f"statuses by hundred {dict(sorted(tally.items()))}")
    assert failures == [], "\n".join(failures[:30])
    assert sent >= REQUESTS and linked > 0
    verdict = app.test_cli_runner().invoke(args=["audit-trail", "verify"])
    assert verdict.exit_code == 0 and "intact" in verdict.output, verdict.output
