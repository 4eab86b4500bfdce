"""Token encryption at rest and the sandbox key file."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roasloop.errors import InternalError, InvalidParameter
from roasloop.store import TokenCipher, load_or_create_key
from roasloop.store.crypto import KEY_FILE_MODE

KEY = TokenCipher.generate_key()


def flip(char: str) -> str:
    """Another base64 character, so the ciphertext really changes."""
    return "B" if char == "A" else "A"


@given(st.text())
def test_any_text_round_trips(plaintext: str) -> None:
    cipher = TokenCipher(KEY)
    ciphertext = cipher.encrypt(plaintext)
    assert cipher.decrypt(ciphertext) == plaintext


def test_encrypting_twice_gives_different_ciphertexts() -> None:
    cipher = TokenCipher(KEY)
    assert cipher.encrypt("token") != cipher.encrypt("token")


def test_a_wrong_key_raises_internal_error_without_the_token() -> None:
    ciphertext = TokenCipher(KEY).encrypt("act.very-secret-token")
    with pytest.raises(InternalError) as caught:
        TokenCipher(TokenCipher.generate_key()).decrypt(ciphertext)
    assert "very-secret" not in str(caught.value)


@pytest.mark.parametrize(
    "damage", [lambda c: c[:-4], lambda c: c[:20] + flip(c[20]) + c[21:], lambda c: "💥"]
)
def test_damaged_ciphertext_raises_internal_error(damage: Callable[[str], str]) -> None:
    ciphertext = TokenCipher(KEY).encrypt("token")
    with pytest.raises(InternalError):
        TokenCipher(KEY).decrypt(damage(ciphertext))


def test_previous_keys_still_decrypt_during_rotation() -> None:
    old = TokenCipher(KEY).encrypt("token")
    rotated = TokenCipher(TokenCipher.generate_key(), previous=[KEY])
    assert rotated.decrypt(old) == "token"
    with pytest.raises(InternalError):
        TokenCipher(KEY).decrypt(rotated.encrypt("new"))


@pytest.mark.parametrize("key", ["", "short", "x" * 44, "  "])
def test_invalid_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        TokenCipher(key)
    assert caught.value.field == "encryption_key"


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "encryption.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == KEY_FILE_MODE
    assert load_or_create_key(path) == key
    assert TokenCipher(key).decrypt(TokenCipher(key).encrypt("t")) == "t"
    assert [p.name for p in path.parent.iterdir()] == ["encryption.key"]


def test_a_corrupt_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "encryption.key"
    path.write_text("not-a-key\n")
    with pytest.raises(InvalidParameter):
        load_or_create_key(path)
