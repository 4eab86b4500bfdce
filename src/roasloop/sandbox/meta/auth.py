"""OAuth and access tokens of the Meta sandbox.

``GET /oauth/access_token?client_id=&client_secret=&code=`` exchanges a login code for a token
(``{"access_token", "token_type": "bearer"}`` plus ``expires_in`` when the token expires); a new
code provisions a new ad account with a Page and a pixel, as a business onboarding would; the
same code again gives a new token for the same account. ``grant_type=fb_exchange_token``
trades a token for a fresh one. Tokens are stored hashed. Errors are Graph's: 104 without a
token, 190/467 for an unknown one, 190/463 once expired, 100 for a wrong ``appsecret_proof``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.meta.docs import (
    ACCOUNT,
    AUTH_CODE,
    PAGE,
    PIXEL,
    TOKEN,
    Call,
    Caller,
    new_doc,
)
from roasloop.sandbox.meta.edges import list_edge
from roasloop.sandbox.meta.models import TokenRequest
from roasloop.sandbox.meta.protocol import GraphError, format_time, invalid, parse
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
TOKEN_CODE = 190
EXPIRED_SUBCODE, INVALID_SUBCODE = 463, 467


def exchange(world: SandboxWorld, params: Doc, lifetime: timedelta | None) -> Doc:
    body = parse(TokenRequest, params)
    if body.client_id != SANDBOX_APP_ID:
        raise GraphError(101, "Error validating application. Invalid application ID.")
    if body.client_secret != SANDBOX_APP_SECRET:
        raise GraphError(101, "Error validating client secret.")
    if body.grant_type == "fb_exchange_token":
        old = world.get(TOKEN, token_key(str(body.fb_exchange_token or "")))
        if old is None:
            raise invalid("fb_exchange_token", "Invalid OAuth access token")
        user_id, account_ids = old["user_id"], list(old["account_ids"])
    else:
        if not body.code:
            raise invalid("code", "The parameter code is required")
        user_id, account_ids = _provision(world, body.code)
    return _issue(world, user_id, account_ids, lifetime)


def authenticate(world: SandboxWorld, token: str, proof: str) -> Caller:
    if not token:
        raise GraphError(104, "An access token is required to request this resource.")
    doc = world.get(TOKEN, token_key(token))
    if doc is None:
        raise GraphError(
            TOKEN_CODE,
            "Error validating access token: The session is invalid because the user logged out.",
            subcode=INVALID_SUBCODE,
        )
    expires = doc.get("expires_at")
    now = world.clock.now()
    if expires and now >= datetime.fromisoformat(expires):
        raise GraphError(
            TOKEN_CODE,
            f"Error validating access token: Session has expired on {expires}. "
            f"The current time is {format_time(now)}.",
            subcode=EXPIRED_SUBCODE,
        )
    if proof and not hmac.compare_digest(proof, appsecret_proof(token)):
        raise invalid("appsecret_proof", "Invalid appsecret_proof provided in the API argument")
    return Caller(account_ids=tuple(doc["account_ids"]), user_id=str(doc["user_id"]))


def me(call: Call) -> Doc:
    return {"id": call.caller.user_id, "name": "Sandbox User"}


def my_accounts(call: Call) -> Doc:
    accounts = [call.world.get(ACCOUNT, a) for a in call.caller.account_ids]
    docs = [a for a in accounts if a is not None]
    params = dict(call.params)
    params["fields"] = "account_id," + str(params.get("fields") or "")
    return list_edge(call.world, ACCOUNT, docs, params, call.page_url)


def appsecret_proof(token: str) -> str:
    """HMAC-SHA256 of the token keyed by the app secret, as the SDK sends it."""
    return hmac.new(SANDBOX_APP_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()


def token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _provision(world: SandboxWorld, code: str) -> tuple[str, list[str]]:
    known = world.get(AUTH_CODE, code)
    if known is not None:
        return str(known["user_id"]), list(known["account_ids"])
    account_id = world.next_id(ACCOUNT, SANDBOX_APP_ID, code)
    account = {
        "name": f"Sandbox {code}",
        "currency": "USD",
        "account_status": 1,
        "timezone_name": "UTC",
        "amount_spent": "0",
    }
    world.put(ACCOUNT, account_id, new_doc(world, account_id, account_id, account))
    for kind, name in ((PAGE, "Sandbox Page"), (PIXEL, "Sandbox Pixel")):
        object_id = world.next_id(kind, account_id, name)
        world.put(kind, object_id, new_doc(world, object_id, account_id, {"name": name}))
    user_id = world.next_id("meta_user", SANDBOX_APP_ID, code)
    world.put(AUTH_CODE, code, {"user_id": user_id, "account_ids": [account_id]})
    return user_id, [account_id]


def _issue(
    world: SandboxWorld, user_id: str, account_ids: list[str], lifetime: timedelta | None
) -> Doc:
    token = "EAA" + secrets.token_urlsafe(48).replace("-", "").replace("_", "")
    expires_at = world.clock.now() + lifetime if lifetime else None
    doc = {
        "user_id": user_id,
        "account_ids": account_ids,
        "expires_at": expires_at.isoformat() if expires_at else None,
    }
    world.put(TOKEN, token_key(token), doc)
    answer: Doc = {"access_token": token, "token_type": "bearer"}
    if lifetime:
        answer["expires_in"] = int(lifetime.total_seconds())
    return answer
