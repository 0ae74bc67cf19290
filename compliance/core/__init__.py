"""Infrastructure shared by every domain: database, unit of work, clock, errors, signals,
files, storage, PDF output, jobs and the HTTP edge. Nothing in core imports a domain.

This file imports nothing: a child that needs one module of core (the PDF worker needs
`core.pdf`, which needs neither Flask nor SQLAlchemy) must not pay for the rest. The app's
wiring is `core.application.init_app`."""
