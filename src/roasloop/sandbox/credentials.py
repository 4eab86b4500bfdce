"""Credentials of the app every sandbox knows: sandbox mode needs no real keys."""

SANDBOX_APP_ID = "roasloop-sandbox-app"
SANDBOX_APP_SECRET = "roasloop-sandbox-secret"
