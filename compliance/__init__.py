"""compliance: ISO 9001 document and process compliance manager."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A top-level folder (templates, migrations): inside the wheel, or beside the package."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    import compliance.models  # noqa: F401 - registers every table
    from compliance import config as settings
    from compliance import web
    from compliance.cli import register_commands
    from compliance.errors import register_error_handlers

    instance_path = Path((config or {}).get("INSTANCE_PATH")
                         or settings.from_environment().get("INSTANCE_PATH")
                         or Path.cwd() / "instance").resolve()
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance_path),
                template_folder=str(resource_dir("templates")))
    app.config.update(settings.build(instance_path, config))
    from compliance.documents.services import check_code_pattern

    check_code_pattern(app.config["DOCUMENT_CODE_PATTERN"])
    web.init_extensions(app)
    web.register_blueprints(app)
    web.register_hooks(app)
    register_error_handlers(app)
    register_commands(app)
    return app
