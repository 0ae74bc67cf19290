"""Form fuzzing: generated hostile values into every form of every POST route, as a user
allowed to use it; no answer may be a 5xx, and the audit trail must still verify.

The routes come from app.url_map, the role from the route matrix (tests/test_permissions.py),
the fields from the form on the page that shows it (the page itself, or the nearest page
above it in the path, or another page of its domain). Hypothesis strategies draw pools of
hostile values once (derandomised); a generator seeded per route combines them into posts, so
every run sends the same 5,000-odd requests, in two halves of the routes (this file and
test_form_fuzz_second_half.py, which two workers run side by side).

SQLite only, one app for the whole run, its database put back to the template's copy before
each route (milliseconds) and its audit trail verified after each: what is fuzzed is the
parsing and validation of the forms and the services behind them, the same code on both
databases. What PostgreSQL
alone refuses (NUL in text, a string longer than its varchar, an integer past 32 bits) is
refused on SQLite too while the fuzz runs (tests/fuzzing.py), so such a 500 is found here.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import traceback
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from werkzeug.exceptions import HTTPException

from compliance.auth.models import User
from compliance.core import clock
from compliance.core.extensions import db, limiter
from compliance.evidence import worker
from tests.audits.helpers import audit_target
from tests.conftest import Maker, do_login, make_app, pdf_rendered_in_process, sqlite_template
from tests.factories import PASSWORD_HASH
from tests.fuzzing import Form, Pools, encode, forms_of, refuse_like_postgresql
from tests.test_permissions import MATRIX, ROLES, L, _targets, _url, routes

pytestmark = pytest.mark.slow
# At least this many posts in all, shared evenly among the routes (68 routes: 74 each), so
# the run costs the same however many routes there are.
POSTS = int(os.environ.get("FUZZ_POSTS", "5000"))
SEED = os.environ.get("FUZZ_SEED", "20261201")
USED_UP = (403, 404, 409)
ROLE_ORDER = ("admin", "coordinator", "department_head", "auditor", "staff")


class Caught(logging.Handler):
    """Keeps the traceback of each unexpected error the app logs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        if record.exc_info:
            self.records.append("".join(traceback.format_exception(*record.exc_info))[-1500:])


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """One app and database for the whole fuzz; rate limits off (the forms are fuzzed, not
    the limiter, which would answer 429 after a few refusals); no evidence worker process
    is started for a pack the fuzz happens to request (its build has its own tests)."""
    app = make_app("sqlite", tmp_path_factory.mktemp("fuzz"), RATELIMIT_ENABLED=False)
    limiter.reset()
    launch = worker.launch
    worker.launch = lambda *_args, **_kwargs: None
    with app.app_context():
        remove = refuse_like_postgresql(db.engine, db.session)
    yield app
    remove()
    worker.launch = launch
    with app.app_context():
        db.engine.dispose()


def _database_file(app) -> Path:
    return Path(make_url(app.config["DATABASE_URL"]).database)


def _put_back(app, source: Path) -> None:
    """Make `source` the app's database file (no connection is open across the copy)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    path = _database_file(app)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, path)


def fresh_database(app) -> None:
    """Back to the schema and reference data alone (a copy of the template file): each
    route's world is built on an empty database, so its pages stay the size real ones are
    (the worlds of sixty routes together would make every list and choice ten times longer)."""
    _put_back(app, sqlite_template())


def snapshot(app) -> Path:
    """A copy of the database as it is now (the route's world, the user signed in)."""
    with app.app_context():
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    copy = _database_file(app).with_suffix(".world")
    shutil.copyfile(_database_file(app), copy)
    return copy


def plan(app) -> list[tuple[str, str, str]]:
    """(endpoint, role, target) for every POST route: the first role the matrix allows."""
    planned = []
    for endpoint, method in routes(app):
        if method != "POST":
            continue
        rows = {key[2]: MATRIX[key] for key in MATRIX if key[:2] == (endpoint, "POST")}
        which = "own" if "own" in rows else next(iter(rows), None)
        role = next((r for r in ROLE_ORDER if rows and
                     rows[which][ROLES.index(r)] not in (L, 403, 404)), "admin")
        planned.append((endpoint, "auditor" if endpoint in LEAD_ONLY else role,
                        which or "other"))
    return planned


def _pages(app, endpoint: str, url: str, target, arguments) -> list[str]:
    """Where the form of a route may be shown: its own page, the pages above it in the path,
    then the other pages of its domain that the target's ids can fill in."""
    path = urlsplit(url).path
    adapter = app.url_map.bind("localhost")
    parts = path.rstrip("/").split("/")
    above = ["/".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)]
    # Each page above with and without its trailing slash (an audit's page is /audits/5/,
    # and /audits/5 only redirects there).
    pages = [path] + [page for parent in above for page in (parent + "/", parent) if page]
    pages = list(dict.fromkeys(page for page in pages if _answers_get(adapter, page)))
    domain = endpoint.split(".")[0]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == domain and "GET" in rule.methods \
                and all(hasattr(target, name) for name in rule.arguments):
            page = urlsplit(_url(app, rule.endpoint, target, arguments[rule.endpoint])).path
            if page not in pages:
                pages.append(page)
    return pages


def _answers_get(adapter, path: str) -> bool:
    try:
        adapter.match(path, method="GET")
    except HTTPException:
        return False
    return True


def find_form(app, clients, endpoint: str, url: str, target, arguments) -> Form:
    """The form that posts to `url`, read from the first page that shows it."""
    path = urlsplit(url).path
    for page in _pages(app, endpoint, url, target, arguments):
        for client in clients:
            response = client.get(page)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            found = [f for f in forms_of(response.get_data(as_text=True), page)
                     if f.action == path]
            if found:
                return max(found, key=lambda f: len(f.fields))
    return Form(path)


class Session:
    """A signed-in client that signs in again whenever a fuzzed post signed it out."""

    def __init__(self, app, user):
        self.app, self.user, self.client = app, user, app.test_client()
        self.sign_in()

    def sign_in(self) -> None:
        if do_login(self.client, self.user.email).status_code != 302:
            # A fuzzed account form changed the password: put the known one back.
            with self.app.app_context():
                db.session.execute(update(User).where(User.id == self.user.id)
                                   .values(password_hash=PASSWORD_HASH, active=True))
                db.session.commit()
            assert do_login(self.client, self.user.email).status_code == 302

    def post(self, url: str, body: bytes, content_type: str):
        response = self.client.post(url, data=body, content_type=content_type)
        if response.status_code == 302 and \
                urlsplit(response.headers["Location"]).path == "/login":
            self.sign_in()
        return response


# Routes no role of the matrix may use: their world makes the fuzzing user the one allowed.
LEAD_ONLY = {"audits.conduct.sign_report"}


def _world(app, make, user, role: str, endpoint: str, which: str):
    """The rows the route's URL names, in the state the route needs (test_permissions)."""
    target = _targets(app, make, user, role, endpoint, keys=(which,))[which]
    if endpoint in LEAD_ONLY:  # the lead auditor signs, once every item is answered
        audit = audit_target(app, make, target.department_id, "in_progress", lead=user,
                             answered=True)
        target.audit_id = audit.audit_id
    return target


def fuzz_route(app, make, pools: Pools, examples: int, endpoint: str, role: str, which: str,
               tally: Counter, failures: list, caught: Caught) -> Form:
    """Post `examples` generated forms to one route; note every status, and each 5xx."""
    user = make.user_with_role(role)
    target = _world(app, make, user, role, endpoint, which)
    arguments = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    url = _url(app, endpoint, target, arguments[endpoint])
    session = Session(app, user)
    form = find_form(app, (session.client, app.test_client()), endpoint, url, target,
                     arguments)
    rng, mine = random.Random(f"{SEED}:{endpoint}"), Counter()
    # A state change (start, close, sign ...) succeeds once, then the world is used up (409,
    # or 403/404 for what is gone): once that shows, the world is put back after each success.
    world, dirty, put_back = snapshot(app), False, False
    for _ in range(examples):
        values = pools.post(form, rng)
        body, content_type = encode(values)
        caught.records.clear()
        response = session.post(url, body, content_type)
        tally[response.status_code] += 1
        mine[response.status_code] += 1
        dirty = dirty or response.status_code == 302
        put_back = put_back or (dirty and response.status_code in USED_UP)
        if dirty and put_back:
            _put_back(app, world)
            dirty = False
        if response.status_code >= 500:
            shown = {k: (v if not isinstance(v, str) or len(v) < 80 else v[:80] + "…")
                     for k, v in values.items()}
            failures.append(f"{endpoint} {url} {response.status_code} {shown!r}\n"
                            + "\n".join(caught.records))
    print(f"  {endpoint} ({role}, {len(form.fields)} fields): {dict(sorted(mine.items()))}")
    return form


# The routes are fuzzed in two halves, one per file (this one and
# test_form_fuzz_second_half.py), so that two workers share the run; together they send POSTS.
HALVES = 2


def fuzz_half(app, half: int) -> None:
    """Fuzz every other route of the plan (the `half`-th of HALVES): no 5xx, trail intact."""
    make = Maker(app)
    tally, failures, formless, pools = Counter(), [], [], Pools(clock.today())
    broken_trails = []
    caught = Caught()
    logging.getLogger("compliance").addHandler(caught)
    try:
        with pdf_rendered_in_process():
            planned = plan(app)
            examples = -(-POSTS // len(planned))
            for endpoint, role, which in planned[half::HALVES]:
                fresh_database(app)
                form = fuzz_route(app, make, pools, examples, endpoint, role, which, tally,
                                  failures, caught)
                if not form.fields:
                    formless.append(endpoint)
                trail = app.test_cli_runner().invoke(args=["audit-trail", "verify"])
                if trail.exit_code != 0:
                    broken_trails.append(f"after {endpoint}: {trail.output}")
    finally:
        logging.getLogger("compliance").removeHandler(caught)
    print(f"\nform fuzz, half {half + 1} of {HALVES}: {sum(tally.values())} posts, statuses "
          f"{dict(sorted(tally.items()))}; routes without a form found: {formless}")
    assert failures == [], "\n\n".join(failures[:40])
    assert sum(tally.values()) >= examples * len(planned[half::HALVES])
    assert broken_trails == []


def test_no_generated_form_post_answers_5xx(fuzz_app):
    fuzz_half(fuzz_app, 0)


def test_the_plan_covers_every_post_route_with_enough_posts(fuzz_app):
    """Both halves together: every POST route of the app, at least POSTS posts."""
    planned = plan(fuzz_app)
    assert {endpoint for endpoint, *_ in planned} == \
        {endpoint for endpoint, method in routes(fuzz_app) if method == "POST"}
    assert -(-POSTS // len(planned)) * len(planned) >= POSTS
    assert sum(len(planned[half::HALVES]) for half in range(HALVES)) == len(planned)
