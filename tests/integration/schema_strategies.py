"""Hypothesis strategies for values that satisfy a JSON schema (as pydantic writes them).

Covers what the action parameter models use: ``$ref``/``$defs``, ``anyOf``/``allOf``,
``enum``/``const``, strings (length, pattern), integers and numbers (bounds), booleans,
``null``, arrays (items, prefix items, sizes) and objects (properties, required ones).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]
#: How many optional properties an object may leave out, drawn per example.
OPTIONAL = st.booleans()


def from_schema(schema: Schema) -> st.SearchStrategy[Any]:
    """Values valid for ``schema`` (its ``$defs`` resolve ``$ref``s anywhere inside)."""
    return _strategy(schema, schema.get("$defs", {}))


def _strategy(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        return _strategy(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for combined in ("anyOf", "oneOf"):
        if combined in schema:
            return st.one_of([_strategy(s, defs) for s in schema[combined]])
    if "allOf" in schema:
        return _strategy({k: v for s in schema["allOf"] for k, v in s.items()}, defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_strategy({**schema, "type": k}, defs) for k in kind])
    return _BY_TYPE.get(kind, _anything)(schema, defs)


def _string(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    low, high = schema.get("minLength", 0), schema.get("maxLength", 40)
    if "pattern" in schema:
        pattern = st.from_regex(schema["pattern"], fullmatch=True)
        return pattern.filter(lambda s: low <= len(s) <= high)
    return st.text(min_size=low, max_size=min(high, 40))


def _integer(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -(10**6) - 1) + 1)
    high = schema.get("maximum", schema.get("exclusiveMaximum", 10**6 + 1) - 1)
    return st.integers(min_value=int(low), max_value=int(high))


def _number(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    return st.floats(
        min_value=schema.get("minimum", schema.get("exclusiveMinimum", -1e6)),
        max_value=schema.get("maximum", schema.get("exclusiveMaximum", 1e6)),
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
    )


def _array(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    if "prefixItems" in schema:
        return st.tuples(*(_strategy(s, defs) for s in schema["prefixItems"])).map(list)
    items = _strategy(schema.get("items", {}), defs)
    low, high = schema.get("minItems", 0), schema.get("maxItems", 4)
    return st.lists(items, min_size=low, max_size=min(high, max(low, 4)))


def _object(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    properties: dict[str, Schema] = schema.get("properties", {})
    required = set(schema.get("required", []))
    fields = {name: st.tuples(OPTIONAL, _strategy(s, defs)) for name, s in properties.items()}
    return st.fixed_dictionaries(fields).map(
        lambda drawn: {k: v for k, (keep, v) in drawn.items() if keep or k in required}
    )


def _anything(schema: Schema, defs: dict[str, Schema]) -> st.SearchStrategy[Any]:
    return st.none() | st.booleans() | st.integers() | st.text(max_size=10)


_BY_TYPE = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": lambda schema, defs: st.booleans(),
    "null": lambda schema, defs: st.none(),
    "array": _array,
    "object": _object,
}
