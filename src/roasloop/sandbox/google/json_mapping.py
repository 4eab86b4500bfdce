"""The Google Ads REST front end's JSON decoding, over the messages of :mod:`.schema`.

Each message lists its fields by JSON (lowerCamelCase) name with a type; decoding checks
names, JSON types and enum values the way Google's REST transcoder does and answers with a
``google.rpc.BadRequest`` (not a ``GoogleAdsFailure``) when one is wrong
(https://developers.google.com/google-ads/api/rest/design/json-mappings). int64 fields are
accepted as JSON numbers or strings and stored as strings, as the API returns them.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from roasloop.sandbox.google.protocol import bad_request
from roasloop.sandbox.google.schema import Field, Msg

Doc = dict[str, Any]

_CAMEL = re.compile(r"_([a-z0-9])")
_SNAKE = re.compile(r"(?<!^)([A-Z])")


def camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def snake(name: str) -> str:
    return _SNAKE.sub(r"_\1", name).lower()


def decode(value: Any, message: Msg, path: str, version: str) -> Doc:
    """Check a JSON object against ``message``; int64 become strings. ``path`` is the
    transcoder's snake_case location (``operations[0].create``)."""
    if not isinstance(value, dict):
        raise bad_request(path, f"Invalid value at '{path}' ({message.name}), {_show(value)}")
    decoded: Doc = {}
    for key, raw in value.items():
        spec = message.fields.get(camel(key))
        if spec is None:
            description = (
                f"Invalid JSON payload received. Unknown name \"{key}\" at '{path}': "
                "Cannot find field."
            )
            raise bad_request(path, description)
        decoded[camel(key)] = _value(raw, spec, f"{path}.{snake(camel(key))}", version)
    _one_of_each(decoded, message, path)
    return decoded


def _value(raw: Any, spec: Field, path: str, version: str) -> Any:
    if spec.kind == "list":
        if not isinstance(raw, list):
            raise bad_request(path, f"Invalid value at '{path}', {_show(raw)}: expected a list")
        assert spec.item is not None
        return [_value(item, spec.item, f"{path}[{i}]", version) for i, item in enumerate(raw)]
    if spec.kind == "message":
        assert spec.message is not None
        return decode(raw, spec.message, path, version)
    if spec.kind == "enum":
        assert spec.enum is not None
        if raw not in spec.enum.values:
            type_url = f"type.googleapis.com/google.ads.googleads.{version}.enums.{spec.enum.proto}"
            raise bad_request(path, f"Invalid value at '{path}' ({type_url}), {_show(raw)}")
        return raw
    return _scalar(raw, spec.kind, path)


def _scalar(raw: Any, kind: str, path: str) -> Any:
    if kind == "int64" and not isinstance(raw, bool):
        if isinstance(raw, int) or (isinstance(raw, str) and re.fullmatch(r"-?\d+", raw)):
            return str(int(raw))
    elif kind == "double" and isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    elif kind == "bool" and isinstance(raw, bool):
        return raw
    elif kind == "string" and isinstance(raw, str):
        return raw
    elif kind == "bytes" and isinstance(raw, str) and _is_base64(raw):
        return raw
    raise bad_request(path, f"Invalid value at '{path}' (TYPE_{kind.upper()}), {_show(raw)}")


def _one_of_each(decoded: Doc, message: Msg, path: str) -> None:
    for oneof, members in message.oneofs.items():
        present = [m for m in members if m in decoded]
        if len(present) > 1:
            description = (
                f"Invalid JSON payload received. Multiple values for oneof '{oneof}' at "
                f"'{path}': {', '.join(present)}."
            )
            raise bad_request(path, description)


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def field_spec(message: Msg, path: list[str]) -> Field | None:
    """The field at a snake_case or camelCase dotted path, if the message has it."""
    spec: Field | None = None
    current: Msg | None = message
    for part in path:
        if current is None:
            return None
        spec = current.fields.get(camel(part))
        if spec is None:
            return None
        current = spec.message
    return spec
