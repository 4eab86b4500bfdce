"""A parser for the Google Ads Query Language subset the sandbox serves (pure).

Grammar (https://developers.google.com/google-ads/api/docs/query/grammar)::

    Query     -> SELECT Field (, Field)* FROM Resource (WHERE Condition (AND Condition)*)?
                 (ORDER BY Field (ASC|DESC)? (, ...)*)? (LIMIT PositiveInteger)?
    Condition -> Field (= | != | > | >= | < | <= ) Value | Field (NOT)? IN (Value, ...)
               | Field (NOT)? LIKE String | Field BETWEEN Value AND Value
               | Field DURING Function | Field IS (NOT)? NULL
               | Field (NOT)? REGEXP_MATCH String

Keywords are case-insensitive; strings take single or double quotes. A mistake raises
:class:`GaqlError` with the QueryError enum Google uses and the offending token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: DURING functions the sandbox resolves (relative to the sandbox clock).
DATE_FUNCTIONS = frozenset(
    {
        "TODAY",
        "YESTERDAY",
        "LAST_7_DAYS",
        "LAST_14_DAYS",
        "LAST_30_DAYS",
        "THIS_MONTH",
        "LAST_MONTH",
    }
)
_KEYWORDS = frozenset(
    "SELECT FROM WHERE AND ORDER BY ASC DESC LIMIT IN NOT LIKE BETWEEN DURING IS NULL "
    "REGEXP_MATCH PARAMETERS".split()
)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<open_string>['"])
      | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
      | (?P<op>!=|>=|<=|=|>|<|\(|\)|,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_FIELD = re.compile(r"^[a-z][a-zA-Z0-9._]*$")
_RESOURCE = re.compile(r"^[a-z][a-zA-Z_]*$")


class GaqlError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    operator: str
    values: tuple[str | float, ...]


@dataclass(frozen=True, slots=True)
class Query:
    select: tuple[str, ...]
    resource: str
    where: tuple[Condition, ...] = ()
    order_by: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None


def parse(text: str) -> Query:
    """Parse ``text`` or raise :class:`GaqlError`."""
    return _Parser(tokenize(text)).query()


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - the pattern matches any non-space
            break
        position = match.end()
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        if kind == "open_string":
            raise GaqlError(
                "STRING_NOT_TERMINATED",
                f"Error in query: unterminated string {text[match.start(kind) :]}.",
            )
        if kind == "bad":
            raise GaqlError("BAD_SYMBOL", f"Error in query: unexpected symbol {value}.")
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append(Token(kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0

    # --- clauses ------------------------------------------------------------------------
    def query(self) -> Query:
        self.keyword("SELECT", "EXPECTED_SELECT")
        select = [self.field()]
        while self.accept_op(","):
            select.append(self.field())
        self.keyword("FROM", "EXPECTED_FROM")
        resource = self.word()
        if not _RESOURCE.match(resource):
            raise GaqlError(
                "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", f"Error in query: unexpected input {resource}."
            )
        where = self.where() if self.accept_keyword("WHERE") else []
        order = self.order_by() if self.accept_keyword("ORDER") else []
        limit = self.limit() if self.accept_keyword("LIMIT") else None
        if self.accept_keyword("PARAMETERS"):
            self.parameters()
        if self.position < len(self.tokens):
            self.unexpected()
        return Query(tuple(select), resource, tuple(where), tuple(order), limit)

    def where(self) -> list[Condition]:
        conditions = [self.condition()]
        while self.accept_keyword("AND"):
            conditions.append(self.condition())
        return conditions

    def order_by(self) -> list[tuple[str, bool]]:
        self.keyword("BY", "EXPECTED_BY")
        orderings = [self.ordering()]
        while self.accept_op(","):
            orderings.append(self.ordering())
        return orderings

    def ordering(self) -> tuple[str, bool]:
        field = self.field()
        if self.accept_keyword("DESC"):
            return field, True
        self.accept_keyword("ASC")
        return field, False

    def limit(self) -> int:
        token = self.next()
        if token.kind != "number" or not token.text.isdigit() or int(token.text) < 1:
            raise GaqlError("BAD_LIMIT_VALUE", f"Error in query: invalid LIMIT {token.text}.")
        return int(token.text)

    def parameters(self) -> None:
        while True:
            self.word()
            self.op("=")
            self.value()
            if not self.accept_op(","):
                return

    # --- conditions ---------------------------------------------------------------------
    def condition(self) -> Condition:
        field = self.field()
        token = self.next()
        upper = token.upper if token.kind == "word" else token.text
        if token.kind == "op" and upper in ("=", "!=", ">", ">=", "<", "<="):
            return Condition(field, upper, (self.value(),))
        negated = upper == "NOT"
        if negated:
            token = self.next()
            upper = token.upper
        if upper == "IN":
            return Condition(field, "NOT IN" if negated else "IN", self.value_list())
        if upper in ("LIKE", "REGEXP_MATCH"):
            value = self.string()
            return Condition(field, f"NOT {upper}" if negated else upper, (value,))
        if upper == "BETWEEN" and not negated:
            low = self.value()
            self.keyword("AND", "EXPECTED_AND")
            return Condition(field, "BETWEEN", (low, self.value()))
        if upper == "DURING" and not negated:
            function = self.word().upper()
            if function not in DATE_FUNCTIONS:
                raise GaqlError(
                    "INVALID_VALUE_WITH_DURING_OPERATOR",
                    f"Error in query: unexpected input {function}.",
                )
            return Condition(field, "DURING", (function,))
        if upper == "IS" and not negated:
            operator = "IS NOT NULL" if self.accept_keyword("NOT") else "IS NULL"
            self.keyword("NULL", "UNEXPECTED_INPUT")
            return Condition(field, operator, ())
        raise GaqlError("BAD_OPERATOR", f"Error in query: unexpected input {token.text}.")

    def value_list(self) -> tuple[str | float, ...]:
        self.op("(")
        values = [self.value()]
        while self.accept_op(","):
            values.append(self.value())
        self.op(")")
        return tuple(values)

    def value(self) -> str | float:
        token = self.next()
        if token.kind == "string":
            return token.text
        if token.kind == "number":
            return float(token.text) if "." in token.text else token.text
        if token.kind == "word" and token.upper not in _KEYWORDS:
            return token.text
        raise GaqlError("BAD_VALUE", f"Error in query: unexpected input {token.text}.")

    def string(self) -> str:
        token = self.next()
        if token.kind != "string":
            raise GaqlError(
                "INVALID_VALUE_WITH_LIKE_OPERATOR",
                f"Error in query: unexpected input {token.text}.",
            )
        return token.text

    # --- tokens -------------------------------------------------------------------------
    def field(self) -> str:
        token = self.next()
        if token.kind != "word" or token.upper in _KEYWORDS or not _FIELD.match(token.text):
            raise GaqlError("BAD_FIELD_NAME", f"Error in query: unexpected input {token.text}.")
        return token.text

    def word(self) -> str:
        token = self.next()
        if token.kind != "word":
            self.position -= 1
            self.unexpected()
        return token.text

    def keyword(self, keyword: str, code: str) -> None:
        if not self.accept_keyword(keyword):
            if self.position >= len(self.tokens):
                raise GaqlError(
                    "UNEXPECTED_END_OF_QUERY", "Error in query: unexpected end of query."
                )
            raise GaqlError(
                code, f"Error in query: unexpected input {self.tokens[self.position].text}."
            )

    def op(self, symbol: str) -> None:
        if not self.accept_op(symbol):
            self.unexpected()

    def accept_keyword(self, keyword: str) -> bool:
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token.kind == "word" and token.upper == keyword:
                self.position += 1
                return True
        return False

    def accept_op(self, symbol: str) -> bool:
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token.kind == "op" and token.text == symbol:
                self.position += 1
                return True
        return False

    def next(self) -> Token:
        if self.position >= len(self.tokens):
            raise GaqlError("UNEXPECTED_END_OF_QUERY", "Error in query: unexpected end of query.")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def unexpected(self) -> None:
        if self.position >= len(self.tokens):
            raise GaqlError("UNEXPECTED_END_OF_QUERY", "Error in query: unexpected end of query.")
        raise GaqlError(
            "UNEXPECTED_INPUT",
            f"Error in query: unexpected input {self.tokens[self.position].text}.",
        )


def like_pattern(pattern: str) -> re.Pattern[str]:
    """A GAQL LIKE pattern as a regular expression: ``%`` any run, ``_`` one character,
    ``[x]`` the literal x (the documented way to match ``[``, ``]``, ``%`` or ``_``)."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        close = pattern.find("]", index + 2) if char == "[" else -1
        if char == "[" and close != -1:
            out.append(re.escape(pattern[index + 1 : close]))
            index = close + 1
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL)
