"""Encryption at rest of access tokens and webhook signing secrets (Fernet, AES + HMAC).

``ROASLOOP_ENCRYPTION_KEY`` holds a Fernet key (``TokenCipher.generate_key()``). In sandbox
mode without one, :func:`load_or_create_key` keeps a key file in the data directory.

A token that cannot be decrypted with the configured key (wrong key, tampered or truncated
ciphertext) raises :class:`roasloop.errors.InternalError`: it is an operator problem (the key
changed), not the user's credentials, and the message never contains the token.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from roasloop.errors import InternalError, InvalidParameter
from roasloop.translations import N_

KEY_FILE_MODE = 0o600


class TokenCipher:
    """Encrypts and decrypts secrets with ``key``; ``previous`` keys still decrypt (rotation)."""

    def __init__(self, key: str, previous: Sequence[str] = ()) -> None:
        self._fernet = MultiFernet([_fernet(k) for k in (key, *previous)])

    @staticmethod
    def generate_key() -> str:
        """A new random key, URL-safe base64 text."""
        return Fernet.generate_key().decode("ascii")

    def encrypt(self, plaintext: str) -> str:
        """Ciphertext as text; encrypting the same value twice gives different outputs."""
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; raise ``InternalError`` if the key does not match or data was altered."""
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise InternalError(
                "a stored access token cannot be decrypted with the configured "
                "ROASLOOP_ENCRYPTION_KEY (was the key changed?)"
            ) from None


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeError):
        raise InvalidParameter(
            "encryption_key", N_("not a Fernet key (32 url-safe base64-encoded bytes)")
        ) from None


def load_or_create_key(path: Path) -> str:
    """The key stored at ``path``; create the file (mode 0600, parents too) if missing."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600; linking it into place means a concurrent
    # reader never sees a half-written key, and of two racing creators exactly one wins.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(TokenCipher.generate_key() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        os.unlink(temp)
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    _fernet(key)
    return key


#: Keys whose string values are encrypted wherever they sit in a rule's documents.
SECRET_KEYS = frozenset({"secret"})
#: Marks an encrypted value in a stored document.
ENCRYPTED = "fernet:"


def seal_secrets(value: Any, cipher: TokenCipher) -> Any:
    """``value`` with every secret inside it encrypted (webhook signing secrets)."""
    if isinstance(value, dict):
        return {k: _seal_one(k, v, cipher) for k, v in value.items()}
    if isinstance(value, list):
        return [seal_secrets(item, cipher) for item in value]
    return value


def unseal_secrets(value: Any, cipher: TokenCipher) -> Any:
    """The inverse of :func:`seal_secrets`."""
    if isinstance(value, dict):
        return {k: _unseal_one(k, v, cipher) for k, v in value.items()}
    if isinstance(value, list):
        return [unseal_secrets(item, cipher) for item in value]
    return value


def _seal_one(key: str, value: Any, cipher: TokenCipher) -> Any:
    if key in SECRET_KEYS and isinstance(value, str):
        return ENCRYPTED + cipher.encrypt(value)
    return seal_secrets(value, cipher)


def _unseal_one(key: str, value: Any, cipher: TokenCipher) -> Any:
    if key in SECRET_KEYS and isinstance(value, str) and value.startswith(ENCRYPTED):
        return cipher.decrypt(value.removeprefix(ENCRYPTED))
    return unseal_secrets(value, cipher)
