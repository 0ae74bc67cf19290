"""A small, real OpenID Connect provider for the tests, run as its own process
(`python -m tests.sso.provider`): discovery, JWKS, the authorization endpoint (which signs in
whoever the test named, as a provider's login page would), the token endpoint (client secret,
PKCE S256, one-time codes) and the end-session endpoint. ID tokens are signed RS256 with
Authlib's JOSE library (joserfc). A test may ask, through /_control, for a token that is
badly signed, for another audience, expired, or with an old `auth_time`, to see it refused."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import sys
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from compliance.core.clock import host_seconds

CLIENT_ID = "compliance-tests"
CLIENT_SECRET = "provider-test-secret"  # noqa: S105 - the test provider's own client


def create(issuer: str) -> Flask:
    """The provider app for this issuer URL."""
    app = Flask(__name__)
    key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
    # Same kid, other key: a token it signs must fail the signature check.
    impostor = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    state = {"user": None, "mode": "", "codes": {}, "log": [], "auth_time": None}

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify({
            "issuer": issuer, "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
            "end_session_endpoint": issuer + "/logout",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"]})

    @app.get("/jwks")
    def jwks():
        return jsonify(KeySet([key]).as_dict(private=False))

    @app.post("/_control")
    def control():
        body = request.get_json()
        state["user"], state["mode"] = body.get("user"), body.get("mode", "")
        return jsonify({"ok": True})

    @app.get("/_control/log")
    def log():
        return jsonify(state["log"])

    @app.get("/authorize")
    def authorize():
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("code_challenge_method") != "S256":
            abort(400)
        state["log"].append({"endpoint": "authorize", **args.to_dict()})
        if args.get("prompt") == "login" or state["auth_time"] is None:
            state["auth_time"] = int(host_seconds())  # the person typed their password here
        code = secrets.token_urlsafe(16)
        state["codes"][code] = {"challenge": args["code_challenge"], "nonce": args.get("nonce"),
                                "redirect_uri": args["redirect_uri"], "user": state["user"]}
        return redirect(args["redirect_uri"] + "?" + urlencode(
            {"code": code, "state": args.get("state", "")}))

    def _client_ok() -> bool:
        auth = request.authorization
        return bool(auth) and auth.username == CLIENT_ID and auth.password == CLIENT_SECRET

    @app.post("/token")
    def token():
        grant = state["codes"].pop(request.form.get("code", ""), None)  # one use only
        if not _client_ok():
            return jsonify({"error": "invalid_client"}), 401
        if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
            return jsonify({"error": "invalid_grant"}), 400
        verifier = request.form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return jsonify({"error": "invalid_grant", "error_description": "PKCE"}), 400
        return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 300, "id_token": _id_token(grant)})

    def _id_token(grant) -> str:
        now, mode = int(host_seconds()), state["mode"]
        claims = {"iss": issuer, "sub": grant["user"]["sub"], "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": grant["nonce"], "auth_time": state["auth_time"],
                  **{k: v for k, v in grant["user"].items() if k != "sub"}}
        if mode == "wrong_audience":
            # Meant for another client that also names us: only an audience check sees it.
            claims["aud"], claims["azp"] = "someone-else", CLIENT_ID
        if mode == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        if mode == "old_auth_time":
            claims["auth_time"] = now - 3600
        signer = impostor if mode == "bad_signature" else key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, signer)

    @app.get("/logout")
    def logout():
        state["log"].append({"endpoint": "logout", **request.args.to_dict()})
        state["auth_time"] = None
        target = request.args.get("post_logout_redirect_uri")
        return redirect(target) if target else "signed out"

    return app


def main() -> None:
    """Serve on 127.0.0.1 at a free port; print the port once listening."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, None, threaded=True)
    port = server.server_port
    server.app = create(f"http://127.0.0.1:{port}")
    print(port, flush=True)  # the parent reads the port from here
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
