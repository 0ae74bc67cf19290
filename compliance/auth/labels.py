"""Roles and languages of an account, and their translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Roles that apply to the whole organisation.
GLOBAL_ROLES = ("admin", "coordinator", "auditor")
# Roles that apply to the departments a user is a member of.
MEMBERSHIP_ROLES = ("department_head", "staff")
ROLES = GLOBAL_ROLES + MEMBERSHIP_ROLES

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("ISO coordinator"),
    "auditor": _l("Auditor"),
    "department_head": _l("Department head"),
    "staff": _l("Staff"),
}
GLOBAL_ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in GLOBAL_ROLES]
MEMBERSHIP_ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ("staff", "department_head")]

# Interface languages; each is named in its own language, whatever the reader's.
LOCALES = ("vi", "en")
LOCALE_LABELS = {"vi": "Tiếng Việt", "en": "English"}
LOCALE_CHOICES = [(code, LOCALE_LABELS[code]) for code in LOCALES]

# The fields of an account as its history names them; FIELD_VALUES: the enumerated ones.
FIELD_LABELS = {"email": _l("E-mail"), "name": _l("Full name"), "locale": _l("Language"),
                "active": _l("Active"), "roles": _l("Organisation-wide roles")}
FIELD_VALUES = {"locale": LOCALE_LABELS, "roles": ROLE_LABELS, "role": ROLE_LABELS}

# What a personal access token may do through /api/v1 (auth/tokens.py).
SCOPE_LABELS = {"read": _l("Read"), "read write": _l("Read and write")}
SCOPE_CHOICES = list(SCOPE_LABELS.items())

# How a signer proved who they are again (auth.reauth), as the reports print it.
SIGNATURE_METHODS = {
    "password": _l("password"),
    "password+totp": _l("password and authenticator code"),
    "oidc": _l("a fresh sign-in at the organisation's provider (OpenID Connect)"),
    "ldap": _l("the directory password (LDAP / Active Directory)"),
}
