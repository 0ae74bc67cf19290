"""OpenID Connect with Authlib: the authorization code flow with PKCE (S256), the provider's
discovery document and JWKS, `state` and `nonce` kept in the session, and the ID token's
signature, issuer, audience and expiry checked with a small clock skew."""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError

from compliance.auth.sso import settings
from compliance.core.clock import host_seconds

_KEY = "compliance_oidc"
NAME = "provider"


class Refused(Exception):
    """The provider's answer is not accepted; `reason` is for the trail (never a secret)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def client():
    """This app's OpenID Connect client, built at first use from the settings."""
    oauth = current_app.extensions.get(_KEY)
    if oauth is None:
        config = current_app.config
        oauth = OAuth(current_app)
        oauth.register(
            NAME, client_id=config["OIDC_CLIENT_ID"],
            client_secret=settings.secret("OIDC_CLIENT_SECRET"),
            server_metadata_url=config["OIDC_ISSUER"].rstrip("/")
            + "/.well-known/openid-configuration",
            client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256",
                           "timeout": 10})
        current_app.extensions[_KEY] = oauth
    return oauth.create_client(NAME)


def authorize_redirect(redirect_uri: str, *, fresh: bool = False):
    """Send the browser to the provider; `fresh` demands a new sign-in there (a signature)."""
    extra = {"prompt": "login", "max_age": 0} if fresh else {}
    return client().authorize_redirect(redirect_uri, **extra)


def finish() -> dict:
    """The checked claims of the provider's answer; Refused when anything does not hold."""
    config = current_app.config
    # Named here, not left to the library: without an `aud` option it lets a token for
    # another client through whenever that token also carries our `azp`.
    options = {"iss": {"essential": True, "value": config["OIDC_ISSUER"].rstrip("/")},
               "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
               "exp": {"essential": True}, "sub": {"essential": True}}
    try:
        token = client().authorize_access_token(leeway=config["OIDC_CLOCK_SKEW"],
                                                claims_options=options)
    except OAuthError as error:  # wrong or missing state, a refused or replayed code
        raise Refused(error.error or "oauth_error") from None
    except JoseError as error:  # signature, issuer, audience, expiry, nonce
        raise Refused(getattr(error, "error", "") or type(error).__name__) from None
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise Refused("no_id_token")
    return {"claims": dict(claims), "id_token": token.get("id_token")}


def fresh_enough(claims: dict, started: float) -> bool:
    """Whether the provider proved the person again after `started` (a Unix time, by the
    host's clock as the provider's is), allowing the clock skew: what a signature relies on."""
    auth_time = claims.get("auth_time")
    skew = current_app.config["OIDC_CLOCK_SKEW"]
    return isinstance(auth_time, int | float) and started - skew <= auth_time \
        <= host_seconds() + skew


def identity(claims: dict) -> dict:
    """Who the claims say this is: subject, e-mail, name and groups."""
    config = current_app.config
    groups = claims.get(config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    email = str(claims.get(config["OIDC_EMAIL_CLAIM"]) or "")
    # Only a verified address may find an existing account (or make one): a provider that
    # lets people type any address would otherwise hand them someone else's.
    return {"subject": str(claims["sub"]), "email": email,
            "email_verified": claims.get("email_verified") is True
            or bool(config["OIDC_TRUST_EMAIL"]),
            "name": str(claims.get(config["OIDC_NAME_CLAIM"]) or email),
            "groups": [str(g) for g in groups]}


def logout_url(id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address (RP-initiated sign-out), when it offers one."""
    meta = client().load_server_metadata()
    endpoint = meta.get("end_session_endpoint")
    if not endpoint:
        return None
    return client().create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri,
                                      id_token_hint=id_token)["url"]
