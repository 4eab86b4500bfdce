"""How the Meta sandbox keeps Graph objects in the world: kinds, lookups and statuses.

Documents hold Graph field names and wire values (budgets as strings of minor units, times as
``2026-03-02T08:00:00+0000``). Kinds are prefixed ``meta_`` so a world could hold several
platforms without collisions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from roasloop.sandbox.meta.protocol import format_time, invalid, unknown_object
from roasloop.sandbox.meta.usage import BudgetChangeLimiter
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

ACCOUNT, PAGE, PIXEL = "meta_account", "meta_page", "meta_pixel"
CAMPAIGN, ADSET, AD, CREATIVE = "meta_campaign", "meta_adset", "meta_ad", "meta_adcreative"
VIDEO, IMAGE = "meta_video", "meta_image"
TOKEN, AUTH_CODE = "meta_token", "meta_auth_code"
#: Kinds a bare ``/{id}`` may name, in lookup order.
NODE_KINDS = (CAMPAIGN, ADSET, AD, CREATIVE, VIDEO, PAGE, PIXEL)
LIVE_STATUSES = frozenset({"ACTIVE", "PAUSED"})


@dataclass
class Caller:
    """Who is calling: the ad accounts (numeric ids) the access token may manage."""

    account_ids: tuple[str, ...] = ()
    user_id: str = ""
    touched: list[str] = field(default_factory=list)

    def may_manage(self, account_id: str) -> bool:
        return account_id in self.account_ids


@dataclass
class Call:
    """One Graph request (or batch item) after parsing and authentication."""

    world: SandboxWorld
    caller: Caller
    method: str
    params: dict[str, Any]
    #: Uploaded files by form field: (file name, content).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: Absolute URL of the requested path, for ``paging.next``.
    page_url: str = ""
    #: Counts ad-set budget changes against Meta's hourly limit (``None``: no limit).
    budget_changes: BudgetChangeLimiter | None = None


def find_node(world: SandboxWorld, object_id: str) -> tuple[str, Doc] | None:
    for kind in NODE_KINDS:
        doc = world.get(kind, object_id)
        if doc is not None:
            return kind, doc
    return None


def owned_node(
    world: SandboxWorld, caller: Caller, object_id: str, method: str = "GET"
) -> tuple[str, Doc]:
    """The node and its kind, if the caller's token may see it; else Graph's 100/33."""
    found = find_node(world, object_id)
    if found is None or not caller.may_manage(str(found[1]["account_id"])):
        raise unknown_object(object_id, method)
    caller.touched.append(str(found[1]["account_id"]))
    return found


def owned(world: SandboxWorld, caller: Caller, kind: str, object_id: str, field: str) -> Doc:
    """A document of ``kind`` the caller may use as ``field``; else code 100 blaming it."""
    doc = world.get(kind, str(object_id))
    if doc is None or not caller.may_manage(str(doc["account_id"])):
        raise invalid(field, f"Param {field} refers to an object that does not exist")
    return doc


def account_of(world: SandboxWorld, caller: Caller, segment: str, method: str) -> Doc:
    """``act_<id>`` path segment → the account document the token may manage."""
    account_id = segment.removeprefix("act_")
    doc = world.get(ACCOUNT, account_id)
    if doc is None or not caller.may_manage(account_id):
        raise unknown_object(segment, method)
    caller.touched.append(account_id)
    return doc


def of_account(world: SandboxWorld, kind: str, account_id: str) -> Iterator[Doc]:
    return (d for d in world.all(kind) if d["account_id"] == account_id)


def children(world: SandboxWorld, kind: str, parent_field: str, parent_id: str) -> list[Doc]:
    return [d for d in world.all(kind) if d.get(parent_field) == parent_id]


def effective_status(world: SandboxWorld, kind: str, doc: Doc) -> str:
    """``effective_status``: the object's own status unless a parent holds it back."""
    status = str(doc.get("status", "ACTIVE"))
    if status != "ACTIVE":
        return status
    if kind in (ADSET, AD):
        campaign = world.get(CAMPAIGN, str(doc.get("campaign_id"))) or {}
        if campaign.get("status") != "ACTIVE":
            return _held_back(campaign, "CAMPAIGN_PAUSED")
    if kind == AD:
        adset = world.get(ADSET, str(doc.get("adset_id"))) or {}
        if adset.get("status") != "ACTIVE":
            return _held_back(adset, "ADSET_PAUSED")
    return status


def _held_back(parent: Doc, paused: str) -> str:
    status = str(parent.get("status", "PAUSED"))
    return status if status in ("DELETED", "ARCHIVED") else paused


def new_doc(world: SandboxWorld, object_id: str, account_id: str, fields: Doc) -> Doc:
    now = format_time(world.clock.now())
    return {
        **fields,
        "id": object_id,
        "account_id": account_id,
        "created_time": now,
        "updated_time": now,
        "create_day": world.today().isoformat(),
    }


def touch(world: SandboxWorld, kind: str, doc: Doc) -> Doc:
    doc["updated_time"] = format_time(world.clock.now())
    return world.put(kind, doc["id"], doc)


def strip_tag(name: str) -> str:
    """A name without roasloop's ``[rl:…]`` lookup tag."""
    return name.split(" [rl:")[0].strip()
