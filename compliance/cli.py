"""The commands of `compliance` (also `flask --app compliance`): thin wrappers over services,
each inside one unit of work."""

from __future__ import annotations

import sys
import threading
from functools import wraps

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy.exc import OperationalError, ProgrammingError
from werkzeug.serving import WSGIRequestHandler, make_server

from compliance import demo
from compliance.audit_trail.services import verify
from compliance.auth.services import create_user
from compliance.cli_org import org_option, organisation_named
from compliance.cli_storage import COMMANDS as STORAGE_COMMANDS
from compliance.core import clock, jobs, tenancy
from compliance.core.errors import DomainError
from compliance.core.job_results import phrase
from compliance.core.storage import get_store
from compliance.core.uow import unit_of_work
from compliance.documents.jobs import activate_documents
from compliance.documents.services import renditions
from compliance.evidence.verify import verify_pack
from compliance.installation.cli import org_cli
from compliance.org import clauses, organisations


def needs_schema(command):
    """Turn 'no such table' into the advice to migrate first, instead of a traceback."""
    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            text = str(error.orig).lower()
            if "no such table" in text or "does not exist" in text:
                raise click.ClickException(
                    "The database has no tables yet: run `compliance db upgrade` first.") from error
            raise

    return wrapped


def register_commands(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    for command in (create_admin, seed_demo, audit_trail, clauses_cli, documents_cli, serve,
                    scheduler_command, evidence_cli, org_cli, *STORAGE_COMMANDS):
        app.cli.add_command(command)


@click.command("create-admin")
@click.option("--email", required=True, help="Sign-in address of the administrator.")
@click.option("--name", required=True, help="Full name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Password (asked for when not given).")
@org_option
@with_appcontext
@needs_schema
def create_admin(email: str, name: str, password: str, org_code: str | None) -> None:
    """Create an administrator account of one organisation."""
    try:
        with unit_of_work():
            organisation = organisation_named(org_code)
            with tenancy.acting_for(organisation.id):
                user = create_user(None, email, name, password, roles=("admin",),
                                   min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                                   check=False)
            code = organisation.code
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Administrator {user.email} created. Organisation: {code}.")


@click.command("seed-demo")
@with_appcontext
@needs_schema
def seed_demo() -> None:
    """Load the demo organisation (only into an empty database) and print the demo logins."""
    with unit_of_work():
        created = demo.seed()
    click.echo("Demo organisation loaded." if created else "Demo organisation already present.")
    click.echo(demo.logins_text())


@click.group("audit-trail")
def audit_trail() -> None:
    """The hash-chained audit trail."""


@audit_trail.command("verify")
@click.option("--org", "org_code", default=None,
              help="Code of the one organisation whose chain to check (default: every one).")
@with_appcontext
@needs_schema
def verify_trail(org_code: str | None) -> None:
    """Check each organisation's chain on its own; name the first broken link of each and exit
    1 if there is one."""
    with unit_of_work(write=False):  # a read: no write lock while the chains are walked
        chosen = [organisation_named(org_code)] if org_code else organisations.all_organisations()
        verdicts = [(organisation.code, verify(organisation.id)) for organisation in chosen]
    broken = 0
    for code, verdict in verdicts:
        if verdict.ok:
            click.echo(f"{code}: Audit trail intact: {verdict.checked} events, "
                       f"head {verdict.head or '-'}.")
            continue
        broken += 1
        click.echo(f"{code}: Audit trail BROKEN at event {verdict.broken_at}: {verdict.reason} "
                   f"({verdict.checked} events before it are intact).", err=True)
    if broken:
        sys.exit(1)


def _said(result) -> str:
    """A job's result as the CLI prints it: phrased in the installation's default language."""
    app = current_app._get_current_object()
    with force_locale(app.config["DEFAULT_LOCALE"]):
        return phrase(app, result)


@click.group("clauses")
def clauses_cli() -> None:
    """The ISO clause catalogue."""


@clauses_cli.command("load")
@with_appcontext
@needs_schema
def load_clauses() -> None:
    """Load or refresh the ISO 9001:2015 clause catalogue from package data."""
    with unit_of_work():
        added = clauses.load()
    click.echo(f"{added} clauses added ({clauses.EDITION}).")


@click.group("documents")
def documents_cli() -> None:
    """Controlled documents."""


@documents_cli.command("activate-due")
@click.option("--org", "org_code", default=None, metavar="CODE",
              help="Code of the one organisation to act for (default: every one).")
@with_appcontext
@needs_schema
def activate_due(org_code: str | None) -> None:
    """Bring into force the approved revisions whose effective date has come (run daily):
    in each organisation, by its own calendar."""
    with unit_of_work(write=False):
        chosen = [organisation_named(org_code)] if org_code else organisations.all_organisations()
        targets = [(o.id, o.code, o.time_zone) for o in chosen]
    for organisation_id, code, time_zone in targets:
        with tenancy.acting_for(organisation_id), clock.in_zone(time_zone), unit_of_work():
            result = activate_documents(clock.today(), clock.utcnow())
        # Named when there are several; one organisation's line reads as it always did.
        click.echo(f"{code}: {_said(result)}" if len(targets) > 1 else _said(result))


@documents_cli.command("make-renditions")
@with_appcontext
@needs_schema
def make_renditions() -> None:
    """Make the PDF renditions that office revisions lack (uploaded before LibreOffice was
    installed): each conversion outside the write transaction, each record in a short one."""
    with unit_of_work(write=False):
        pending = renditions.missing()
    if pending and not renditions.renderer_installed():
        raise click.ClickException(
            f"{len(pending)} office file(s) have no PDF rendition, and no converter is "
            "installed: install LibreOffice (see docs/admin.md) or set "
            "COMPLIANCE_OFFICE_RENDERER.")
    made = 0
    for item in pending:
        names = ", ".join(f"{code} revision {label}" for _id, code, label in item.revisions)
        try:
            with unit_of_work(write=False):
                prepared = renditions.prepare(item.kind, item.source_sha256,
                                              get_store().read(item.source_sha256))
            with unit_of_work():
                renditions.record_made(None, item, prepared)
        except (DomainError, FileNotFoundError) as error:
            click.echo(f"NOT MADE: {names}: {getattr(error, 'message', error)}", err=True)
            continue
        made += 1
        click.echo(f"PDF rendition made: {names}")
    click.echo(f"{made} of {len(pending)} office file(s) made into PDF.")
    if made < len(pending):
        sys.exit(1)


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its `Server: Werkzeug/x Python/y` banner, which
    tells a visitor which versions (and so which known flaws) to try."""

    server_version = "compliance"
    sys_version = ""

    def version_string(self) -> str:
        """The Server header: the product's name, no versions."""
        return self.server_version


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--scheduler/--no-scheduler", default=None,
              help="Run the scheduler in this process (default: COMPLIANCE_SCHEDULER_IN_PROCESS).")
@with_appcontext
def serve(host: str, port: int, scheduler: bool | None) -> None:
    """Serve the web app for a single-machine install (use gunicorn behind a proxy for more)."""
    app = current_app._get_current_object()
    server = make_server(host, port, app, threaded=True, request_handler=QuietRequestHandler)
    stop = threading.Event()
    if app.config["SCHEDULER_IN_PROCESS"] if scheduler is None else scheduler:
        jobs.start_in_background(app, stop)
        click.echo("Scheduler: running in this process (alerts, emails, documents coming "
                   "into force).")
    click.echo(f"Serving on http://{host}:{port}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        stop.set()


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once, then exit.")
@with_appcontext
@needs_schema
def scheduler_command(once: bool) -> None:
    """Run the one scheduler (waits while another holds the lock)."""
    app = current_app._get_current_object()
    lock = jobs.SchedulerLock(app)
    lock.acquire(poll_seconds=app.config["SCHEDULER_LOCK_POLL_SECONDS"],
                 on_wait=lambda: click.echo(
                     "Another scheduler holds the lock; waiting until it stops.", err=True))
    try:
        if once:
            failed = 0
            for job_id, ok, result in jobs.run_all(app):
                failed += not ok
                click.echo(f"{job_id}: {'ok' if ok else 'FAILED'}: {_said(result)}")
            if failed:
                raise SystemExit(1)
            return
        blocking, started_at = jobs.build(app, BlockingScheduler)
        for entry in jobs.jobs_of(app):
            if entry.on_start:
                jobs.run_job(app, entry)
        click.echo("Scheduler running (Ctrl+C to stop).")
        blocking.add_job(jobs.record_status, args=[app, started_at, blocking], id="status.start")
        try:
            blocking.start()
        except (KeyboardInterrupt, SystemExit):
            click.echo("Scheduler stopped.")
    finally:
        lock.release()


@click.group("evidence")
def evidence_cli() -> None:
    """Evidence packs."""


@evidence_cli.command("verify")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
@needs_schema
def verify_evidence(pack: str) -> None:
    """Check a pack PDF against its manifest, its recorded SHA-256 and the stored files."""
    with open(pack, "rb") as handle, unit_of_work(write=False):
        report = verify_pack(handle.read())
    for line in report.checks:
        click.echo(f"ok: {line}")
    if report.ok:
        click.echo(f"Evidence pack {report.reference} intact.")
        return
    for line in report.problems:
        click.echo(f"MISMATCH: {line}", err=True)
    click.echo(f"Evidence pack {report.reference or '?'}: {len(report.problems)} difference(s).",
               err=True)
    sys.exit(1)
