"""The commands about what is kept: `storage verify`, `storage migrate`, `backup DIR`,
`restore DIR`. Thin, like
compliance/cli.py: each body runs inside a unit of work and only prints what it is told."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from compliance import backup as backups
from compliance.audit_trail.services import named_files
from compliance.core import storage_check, storage_migrate
from compliance.core.extensions import db
from compliance.core.storage import get_store, open_store
from compliance.core.storage.s3 import store_errors
from compliance.core.uow import unit_of_work


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@contextlib.contextmanager
def _reaching_the_store():
    """An object store that is down or refuses: said in a sentence, not a traceback."""
    try:
        yield
    except store_errors() as error:
        raise click.ClickException(f"The store did not answer as expected: {error}. Check "
                                   "the URL, the AWS_* credentials and the bucket; then run "
                                   "the command again.") from error


@click.group("storage")
def storage_cli() -> None:
    """The file store."""


@storage_cli.command("verify")
@click.option("--remove-orphans", is_flag=True,
              help="Delete the files no record refers to (older than an hour).")
@click.option("--gc", "collect", is_flag=True,
              help="Delete the files no record refers to that are older than a day.")
@with_appcontext
def verify_storage(remove_orphans: bool, collect: bool) -> None:
    """Check every file a record refers to; list missing, damaged and unreferenced files.
    Exit 1 when a record's file is missing or damaged."""
    with _reaching_the_store(), unit_of_work(write=False):
        report = storage_check.check(get_store(), db.session, db.metadata, kept=named_files())
    for sha256, referrers in report.missing.items():
        click.echo(f"MISSING: {sha256} (named by {', '.join(referrers)})", err=True)
    for sha256, referrers in report.corrupt.items():
        click.echo(f"DAMAGED: {sha256} (named by {', '.join(referrers)})", err=True)
    for orphan in report.orphans:
        click.echo(f"orphan: {orphan.sha256} ({orphan.size} bytes, "
                   f"{orphan.age_seconds / 3600:.1f} h old): no record refers to it")
    for temporary in report.unfinished:
        click.echo(f"unfinished upload: incoming/{temporary.name} ({temporary.size} bytes, "
                   f"{temporary.age_seconds / 3600:.1f} h old)")
    if remove_orphans or collect:
        grace = storage_check.GC_GRACE_SECONDS if collect else storage_check.ORPHAN_GRACE_SECONDS
        removed = storage_check.remove_orphans(get_store(), report, grace)
        kept = len(report.orphans) + len(report.unfinished) - len(removed)
        click.echo(f"{len(removed)} unreferenced file(s) removed"
                   + (f", {kept} younger than {'a day' if collect else 'an hour'} kept."
                      if kept else "."))
    click.echo(f"{len(report.references)} referenced file(s), {report.intact} intact "
               f"({_mb(report.bytes_checked)}), {len(report.missing)} missing, "
               f"{len(report.corrupt)} damaged; {report.kept} earlier file(s) named by the "
               f"audit trail; {len(report.orphans)} orphan(s), "
               f"{len(report.unfinished)} unfinished upload(s).")
    if not report.ok:
        sys.exit(1)


@storage_cli.command("migrate")
@click.option("--to", "destination", required=True, metavar="URL",
              help="The new store: s3://bucket/prefix?endpoint=…&region=… or a folder.")
@with_appcontext
def migrate_storage(destination: str) -> None:
    """Copy every stored file to another store, checking each hash; run it again to resume.
    Exit 1 when a file could not be copied."""
    source, target = get_store(), open_store(destination)
    if str(source) == str(target):
        raise click.ClickException("The new store is the one in use.")

    def progress(number: int, sha256: str) -> None:
        if number % 100 == 0:
            click.echo(f"... {number} file(s) done")

    with _reaching_the_store():
        run = storage_migrate.migrate(source, target, progress)
    for sha256, reason in run.failed.items():
        click.echo(f"NOT COPIED: {sha256} ({reason}; run `compliance storage verify`)",
                   err=True)
    click.echo(f"{run.copied} file(s) copied ({_mb(run.bytes_copied)}), {run.already} already "
               f"there and intact, {run.replaced} damaged there and copied again, "
               f"{len(run.failed)} not copied.")
    if not run.ok:
        sys.exit(1)
    click.echo("Every file is in the new store. Point COMPLIANCE_STORAGE_URL (or "
               "COMPLIANCE_STORAGE_PATH) at it on every host, restart, then run "
               "`compliance storage verify`.")


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database (online, while the app runs), its files and a manifest."""
    try:
        with _reaching_the_store(), unit_of_work(write=False):
            manifest = backups.create(folder)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(manifest.tables.values())
    click.echo(f"Backup in {folder}: {manifest.database} database ({rows} rows in "
               f"{len(manifest.tables)} tables, schema {manifest.schema_revision or '-'}), "
               f"{len(manifest.blobs)} file(s) ({_mb(sum(manifest.blobs.values()))})"
               f"{'' if manifest.blobs_included else ' listed, left in ' + manifest.store}, audit "
               f"trail {manifest.trail_events} events, head {manifest.trail_head or '-'}.")
    for sha256 in manifest.unreadable:
        click.echo(f"NOT BACKED UP: {sha256} is missing or damaged in the store "
                   "(run `compliance storage verify`).", err=True)
    if manifest.unreadable:
        sys.exit(1)


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Restore a backup into this instance, which must be empty; check it before and after."""
    try:
        manifest, problems = backups.check_folder(folder)
        if problems:
            raise backups.BackupError("The backup does not match its manifest; nothing was "
                                      "restored:\n  " + "\n  ".join(problems))
        with unit_of_work(write=False):
            backups.ensure_empty_target(manifest)
        backups.restore(folder, manifest)
        with unit_of_work(write=False):
            problems = backups.check_restored(manifest)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    if problems:
        click.echo("RESTORE INCOMPLETE:\n  " + "\n  ".join(problems), err=True)
        sys.exit(1)
    click.echo(f"Restored the backup of {manifest.created_at}: {sum(manifest.tables.values())} "
               f"rows, {len(manifest.blobs)} file(s), audit trail intact "
               f"({manifest.trail_events} events, head {manifest.trail_head or '-'}).")


COMMANDS = (storage_cli, backup_command, restore_command)
