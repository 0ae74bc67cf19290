"""Single sign-on settings read from the environment; secrets come from a variable or a file
whose path a variable names (a container secret), and are never logged or shown."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

# COMPLIANCE_* defaults (compliance/config.py reads these into DEFAULTS).
DEFAULTS = {
    # OpenID Connect: no issuer, no "Sign in with" button.
    "OIDC_ISSUER": "",
    "OIDC_PROVIDER_NAME": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_CLIENT_SECRET_FILE": "",
    "OIDC_SCOPES": "openid email profile",
    "OIDC_EMAIL_CLAIM": "email",
    "OIDC_NAME_CLAIM": "name",
    "OIDC_GROUPS_CLAIM": "groups",
    # A provider whose addresses only its administrators set (Azure AD's tenant mail) sends no
    # email_verified: true here takes its addresses as verified.
    "OIDC_TRUST_EMAIL": False,
    # Seconds of clock difference allowed between the provider and this server.
    "OIDC_CLOCK_SKEW": 60,
    # LDAP / Active Directory: no URL, no directory sign-in.
    "LDAP_URL": "",
    "LDAP_STARTTLS": False,
    "LDAP_CA_FILE": "",
    "LDAP_BIND_DN": "",
    "LDAP_BIND_PASSWORD": "",
    "LDAP_BIND_PASSWORD_FILE": "",
    "LDAP_USER_BASE": "",
    "LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(mail={email}))",
    "LDAP_GROUP_BASE": "",
    "LDAP_GROUP_FILTER": "(&(objectClass=groupOfNames)(member={dn}))",
    "LDAP_ID_ATTRIBUTE": "entryUUID",
    "LDAP_TIMEOUT": 5,
    # A first sign-in through a provider creates the account (with the mapped roles); off:
    # it is refused with a message naming the administrator.
    "SSO_CREATE_ACCOUNTS": False,
    "SSO_ADMIN_CONTACT": "",
    # Off: only the break-glass administrators (e-mail addresses) sign in with a password.
    "LOCAL_SIGN_IN": True,
    "BREAK_GLASS_ADMINS": (),
    # On: local accounts holding one of TOTP_REQUIRED_ROLES must enrol a TOTP second factor
    # (issue 19: "required for administrators and coordinators when enabled"). Off: it is
    # voluntary for everyone.
    "TOTP_REQUIRED": False,
    "TOTP_REQUIRED_ROLES": ("admin", "coordinator"),
}


def secret(name: str) -> str:
    """The secret from COMPLIANCE_<name>, else from the file COMPLIANCE_<name>_FILE names."""
    value = current_app.config.get(name) or ""
    if value:
        return value
    path = current_app.config.get(name + "_FILE") or ""
    return Path(path).read_text(encoding="utf-8").strip() if path else ""


def oidc_enabled() -> bool:
    """Whether the OpenID Connect sign-in is configured."""
    return bool(current_app.config.get("OIDC_ISSUER") and current_app.config.get("OIDC_CLIENT_ID"))


def ldap_enabled() -> bool:
    """Whether the directory sign-in is configured."""
    return bool(current_app.config.get("LDAP_URL"))


def login_options() -> dict:
    """What the sign-in page offers: the provider's button, and whether passwords are asked."""
    config = current_app.config
    return {"oidc": oidc_enabled(), "local": bool(config["LOCAL_SIGN_IN"]) or ldap_enabled(),
            "provider": config["OIDC_PROVIDER_NAME"] or config["OIDC_ISSUER"]}


def may_use_password(email: str) -> bool:
    """Whether a local password may sign this address in: always, unless local sign-in is
    switched off, when only the break-glass administrators may."""
    config = current_app.config
    if config["LOCAL_SIGN_IN"]:
        return True
    return (email or "").strip().lower() in {e.strip().lower() for e in
                                             config["BREAK_GLASS_ADMINS"]}
