"""The sentences of the administration's events: accounts and sign-ins, departments and
processes, e-mail, management reviews and report notes, evidence packs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from compliance.audit_trail.readable.spec import but_num, labelled, localised, number, say, shown
from compliance.auth.labels import ROLE_LABELS
from compliance.auth.labels import SCOPE_LABELS as TOKEN_SCOPES
from compliance.evidence.labels import SCOPE_LABELS
from compliance.notifications.labels import EMAIL_MODE_CHOICES
from compliance.reports.labels import ACTION_LABELS
from compliance.reports.models import ACTION_STATES

EMAIL_MODES = dict(EMAIL_MODE_CHOICES)
# Why a sign-in was refused (auth.services.authenticate).
REFUSALS = {"bad_credentials": _l("wrong e-mail address or password"),
            "inactive": _l("the account is deactivated"),
            "service_account": _l("a service account cannot sign in to the pages"),
            # Single sign-on (auth.sso): the directory's or the provider's answers.
            "no_account": _l("no account here for the person the provider vouched for"),
            "directory_down": _l("the directory could not be reached"),
            "disabled": _l("the directory account is disabled or locked"),
            "local_off": _l("sign-in with a local password is switched off"),
            "mismatching_state": _l("the answer did not belong to this browser's sign-in"),
            "invalid_grant": _l("the provider refused the code (used already or expired)"),
            "bad_signature": _l("the token's signature did not verify"),
            "invalid_claim": _l("the token was meant for another issuer or client"),
            "expired_token": _l("the token had expired"),
            "wrong_code": _l("a wrong code from the authenticator app"),
            "email_unverified": _l("the provider did not confirm the e-mail address")}
# Why a re-authentication (to sign, or to confirm a change) was refused (auth.reauth).
REAUTH_REFUSALS = {"wrong_password": _l("a wrong password"),
                   "wrong_code": _l("a wrong code from the authenticator app"),
                   "locked_out": _l("too many wrong tries"),
                   "not_fresh": _l("no fresh sign-in at the organisation's provider"),
                   "refused_by_provider": _l("the provider's answer was refused"),
                   "directory_down": _l("the directory could not be reached")}


def deactivated(ctx, found: dict) -> str:
    """The account deactivated, and how many of its sessions (and API tokens) that ended."""
    said = ngettext("%(actor)s deactivated the account (%(num)d session ended)",
                    "%(actor)s deactivated the account (%(num)d sessions ended)",
                    found["num"], **but_num(found))
    tokens = ctx.get("tokens_revoked") or 0
    if not tokens:
        return said
    return said + ngettext("; %(num)d API token revoked", "; %(num)d API tokens revoked",
                           tokens, num=tokens)


def password_set(ctx, found: dict) -> str:
    """A new password set by an administrator, and the sessions that ended."""
    return ngettext("%(actor)s set a new password for the account (%(num)d session ended)",
                    "%(actor)s set a new password for the account (%(num)d sessions ended)",
                    found["num"], **but_num(found))


def password_changed(ctx, found: dict) -> str:
    """A person's own new password, and their other sessions that ended."""
    return ngettext("%(actor)s changed their password (%(num)d other session ended)",
                    "%(actor)s changed their password (%(num)d other sessions ended)",
                    found["num"], **but_num(found))


ACCOUNTS = {
    "user.create": say(_l("%(actor)s created the account of %(name)s (%(email)s)"),
                       name=shown("name"), email=shown("email")),
    "user.create_service": say(_l("%(actor)s created the service account %(name)s "
                                  "(%(email)s) for an integration"),
                               name=shown("name"), email=shown("email")),
    "user.update": say(_l("%(actor)s changed the account"), changes=True),
    "user.deactivate": say(deactivated, num=number("sessions_ended")),
    "user.reactivate": say(_l("%(actor)s reactivated the account")),
    "user.password_reset": say(password_set, num=number("sessions_ended")),
    "user.password_change": say(password_changed, num=number("sessions_ended")),
    "user.locale": say(_l("%(actor)s chose %(language)s as the language"),
                       language=shown("locale")),
    "user.email_mode": say(_l("%(actor)s chose how notifications arrive: %(mode)s"),
                           mode=labelled("email_mode", EMAIL_MODES)),
    "membership.add": say(_l("%(actor)s made the account %(role)s of %(department)s"),
                          role=labelled("role", ROLE_LABELS), department=shown("department")),
    "membership.remove": say(_l("%(actor)s removed the account from %(department)s "
                                "(%(role)s)"), role=labelled("role", ROLE_LABELS),
                             department=shown("department")),
    "auth.login": say(_l("%(actor)s signed in")),
    "auth.logout": say(_l("%(actor)s signed out")),
    "api_token.create": say(_l("%(actor)s created the API token “%(name)s” (%(scope)s, "
                               "until %(expires)s)"), name=shown("name"),
                            scope=labelled("scope", TOKEN_SCOPES),
                            expires=shown("expires")),
    "api_token.revoke": say(_l("%(actor)s revoked the API token “%(name)s”"),
                            name=shown("name")),
    "auth.login_failed": say(_l("A sign-in to this account was refused: %(reason)s"),
                             reason=labelled("reason", REFUSALS)),
    "auth.reauth_failed": say(_l("%(actor)s could not prove who they are again (to sign or "
                                 "confirm a change): %(reason)s; nothing was recorded"),
                              reason=labelled("reason", REAUTH_REFUSALS)),
    "user.totp_enrol": say(_l("%(actor)s set up a second factor (authenticator app)")),
    "user.totp_disable": say(_l("%(actor)s switched their second factor off")),
    "user.totp_reset": say(_l("%(actor)s removed the account's second factor")),
    "auth.second_factor": say(_l("%(actor)s gave the second factor's code at sign-in")),
    "user.identity_link": say(_l("%(actor)s signed in through %(provider)s for the first "
                                 "time; the account is linked to that identity"),
                              provider=shown("provider")),
    "user.sso_mapping": say(_l("%(actor)s signed in through %(provider)s and the mapping "
                               "rules changed the account's roles"), changes=True,
                            provider=shown("provider")),
    "sso.mapping_create": say(_l("%(actor)s added the mapping rule: %(group)s gives "
                                 "%(role)s"), group=shown("group"),
                              role=labelled("role", ROLE_LABELS)),
    "sso.mapping_update": say(_l("%(actor)s changed the mapping rule"), changes=True),
    "sso.mapping_delete": say(_l("%(actor)s removed the mapping rule: %(group)s gave "
                                 "%(role)s"), group=shown("group", before=True),
                              role=labelled("role", ROLE_LABELS, before=True)),
}
ORGANISATION = {
    "organisation.create": say(_l("%(actor)s created the organisation %(code)s “%(name)s”"),
                               code=shown("code"), name=localised("name_vi", "name_en")),
    "department.create": say(_l("%(actor)s created the department %(code)s “%(name)s”"),
                             code=shown("code"), name=localised("name_vi", "name_en")),
    "department.update": say(_l("%(actor)s changed the department"), changes=True),
    "process.create": say(_l("%(actor)s created the process %(code)s “%(name)s”"),
                          code=shown("code"), name=localised("name_vi", "name_en")),
    "process.update": say(_l("%(actor)s changed the process"), changes=True),
    "email.retry": say(_l("%(actor)s sent a failed e-mail again")),
    "webhook.create": say(_l("%(actor)s registered the webhook “%(name)s” (%(url)s)"),
                          name=shown("name"), url=shown("url")),
    "webhook.update": say(_l("%(actor)s changed the webhook"), changes=True),
    "webhook.deactivate": say(_l("%(actor)s deactivated the webhook “%(name)s”"),
                              name=shown("name")),
    "webhook.redeliver": say(_l("%(actor)s sent the webhook delivery %(event)s again"),
                             event=shown("event_id")),
}
# Above the organisations (compliance/installation).
INSTALLATION = {
    "organisation.create": say(_l("%(actor)s created the organisation %(code)s “%(name)s”"),
                               code=shown("code"), name=localised("name_vi", "name_en")),
    "organisation.update": say(_l("%(actor)s changed the organisation"), changes=True),
    "organisation.first_admin": say(_l("%(actor)s created the organisation's first "
                                       "administrator, %(name)s (%(email)s)"),
                                    name=shown("name"), email=shown("email")),
    "oversight.grant": say(_l("%(actor)s let %(email)s oversee this organisation and those "
                              "below it (reading only)"), email=shown("email")),
    "oversight.revoke": say(_l("%(actor)s ended the oversight of this organisation by "
                               "%(email)s"), email=shown("email")),
    "user.installation_admin": say(_l("%(actor)s made %(email)s the installation's "
                                      "administrator"), email=shown("email")),
}
REPORTS = {
    "management_review.create": say(_l("%(actor)s recorded the management review held on "
                                       "%(day)s"), day=shown("held_on")),
    "management_review.action_add": say(_l("%(actor)s added an action to the management "
                                           "review: “%(description)s”"),
                                        description=shown("description")),
    "report_note.create": say(_l("%(actor)s wrote the shortcomings and planned actions of "
                                 "the report")),
    "report_note.update": say(_l("%(actor)s changed the shortcomings and planned actions of "
                                 "the report")),
}
EVIDENCE = {
    "evidence.request": say(_l("%(actor)s asked for the evidence pack %(reference)s "
                               "(%(scope)s)"), reference=shown("reference"),
                            scope=labelled("scope", SCOPE_LABELS)),
    "evidence.ready": say(_l("%(actor)s finished the evidence pack %(reference)s"),
                          reference=shown("reference")),
    "evidence.failed": say(_l("%(actor)s could not build the evidence pack %(reference)s"),
                           notes=(("error", _l("Reason")),), reference=shown("reference")),
    "evidence.share": say(_l("%(actor)s shared the evidence pack through a link valid until "
                             "%(day)s"), notes=(("note", _l("For whom (note)")),),
                          day=shown("expires_on")),
    "evidence.share_revoke": say(_l("%(actor)s revoked a share link of the evidence pack")),
    "evidence.verify": say(_l("%(actor)s checked a copy of an evidence pack")),
}

# What became of a management review's action (reports.services.reviews.update_action).
REVIEW_ACTION_ENDS = {
    "done": say(_l("%(actor)s marked the management review's action done: "
                   "“%(description)s”"), description=shown("description")),
    "cancelled": say(_l("%(actor)s cancelled the management review's action: "
                        "“%(description)s”"), description=shown("description")),
}
FAMILIES = {
    "management_review.action_*": {
        status: REVIEW_ACTION_ENDS.get(status, say(
            _l("%(actor)s set the management review's action to %(status)s"),
            status=labelled("status", ACTION_LABELS)))
        for status in ACTION_STATES if status != "open"},
}

SENTENCES = {**ACCOUNTS, **ORGANISATION, **INSTALLATION, **REPORTS, **EVIDENCE}
