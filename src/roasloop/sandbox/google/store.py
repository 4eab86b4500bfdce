"""One mutate request's view of the Google Ads sandbox's objects: staged until committed.

A request's operations are applied to copies; :meth:`Txn.commit` writes them to the world
and brings delivery in step, so a failing request changes nothing (mutates are atomic
unless ``partialFailure`` is set). Temporary resource names (negative ids, e.g.
``customers/1/campaignBudgets/-1``) are mapped to the real ones as they are created
(https://developers.google.com/google-ads/api/docs/mutating/best-practices#temporary_resource_names).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from roasloop.sandbox.google import delivery
from roasloop.sandbox.google.protocol import (
    PathElement,
    ResourceName,
    Touched,
    fault,
    kind,
    parse_name,
)
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
Path = tuple[PathElement, ...]


@dataclass
class Txn:
    world: SandboxWorld
    customer_id: str
    version: str
    allow_temporary: bool = False
    temporary: dict[str, str] = field(default_factory=dict)
    staged: dict[tuple[str, str], Doc] = field(default_factory=dict)
    touched: Touched = field(default_factory=Touched)

    # --- reads --------------------------------------------------------------------------
    def get(self, collection: str, key: str) -> Doc | None:
        """A copy of the customer's object, staged changes included."""
        staged = self.staged.get((collection, key))
        if staged is not None:
            return staged
        doc = self.world.get(kind(collection), key)
        if doc is None or doc.get("_customer") != self.customer_id:
            return None
        return copy.deepcopy(doc)

    def all(self, collection: str) -> list[Doc]:
        docs = {
            str(doc["_key"]): doc
            for doc in self.world.all(kind(collection))
            if doc.get("_customer") == self.customer_id
        }
        for (staged_collection, key), doc in self.staged.items():
            if staged_collection == collection:
                docs[key] = doc
        return list(docs.values())

    def find(self, collection: str, where: Callable[[Doc], bool]) -> list[Doc]:
        return [doc for doc in self.all(collection) if where(doc)]

    # --- references ---------------------------------------------------------------------
    def resolve(self, value: object, path: Path, collection: str) -> ResourceName:
        """A resource name of this customer, with temporary ids replaced."""
        name = parse_name(value, path, collection)
        if name.is_temporary:
            real = self.temporary.get(str(name))
            if real is None:
                raise fault(
                    "mutateError",
                    "RESOURCE_NOT_FOUND",
                    "The temporary resource name was not created earlier in this request.",
                    path,
                )
            name = parse_name(real, path, collection)
        if name.customer_id != self.customer_id:
            raise fault(
                "authorizationError",
                "USER_PERMISSION_DENIED",
                "User doesn't have permission to access customer.",
                path,
            )
        return name

    def existing(self, value: object, path: Path, collection: str) -> Doc:
        """The referenced object, which must exist and not be removed."""
        name = self.resolve(value, path, collection)
        doc = self.get(collection, name.key)
        if doc is None:
            raise fault(
                "mutateError", "RESOURCE_NOT_FOUND", "Requested resource was not found.", path
            )
        if doc.get("status") == "REMOVED":
            raise fault(
                "operationAccessDeniedError",
                "OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE",
                "The operation is not permitted on removed resources.",
                path,
            )
        return doc

    # --- writes -------------------------------------------------------------------------
    def new_id(self, collection: str, scope: str, name: str) -> str:
        """A deterministic id from (collection, scope, name): the same objects get the same
        ids however concurrent requests interleave, so the market's random streams repeat."""
        for attempt in range(1000):
            label = name if attempt == 0 else f"{name}#{attempt}"
            candidate = self.world.next_id(kind(collection), scope, label)
            if (collection, candidate) not in self.staged:
                return candidate
        raise AssertionError("no free id")  # pragma: no cover

    def put(self, collection: str, key: str, doc: Doc) -> Doc:
        doc["_customer"] = self.customer_id
        doc["_key"] = key
        doc.setdefault("_createDay", self.world.today().isoformat())
        self.staged[(collection, key)] = doc
        return doc

    def remember_temporary(self, requested: object, real: str) -> None:
        if isinstance(requested, str) and "/-" in requested:
            if not self.allow_temporary:
                raise fault(
                    "mutateError",
                    "RESOURCE_NOT_FOUND",
                    "Temporary resource names are only supported by GoogleAdsService.Mutate.",
                )
            self.temporary[requested] = real

    def savepoint(self) -> tuple[dict[tuple[str, str], Doc], dict[str, str], Touched]:
        touched = Touched(set(self.touched.campaigns), set(self.touched.ads))
        return copy.deepcopy(self.staged), dict(self.temporary), touched

    def rollback(self, point: tuple[dict[tuple[str, str], Doc], dict[str, str], Touched]) -> None:
        self.staged, self.temporary, self.touched = point

    def commit(self) -> None:
        for (collection, key), doc in self.staged.items():
            self.world.put(kind(collection), key, doc)
        self.staged.clear()
        delivery.sync(self.world, self.touched.campaigns, self.touched.ads)
