"""``{resource}:mutate`` and ``googleAds:mutate`` of the Google Ads sandbox.

Operations are ``create`` / ``update`` (with ``updateMask``) / ``remove``
(https://developers.google.com/google-ads/api/rest/common/mutate). The whole body is decoded
first (a JSON mistake fails the request as the REST front end would), then operations run in
order inside one :class:`Txn`: atomic by default, per-operation with ``partialFailure``, and
discarded with ``validateOnly``. ``googleAds:mutate`` mixes resources and resolves
temporary (negative) ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roasloop.sandbox.google.json_mapping import camel, decode, field_spec, snake
from roasloop.sandbox.google.protocol import (
    MAX_OPERATIONS,
    AdsError,
    GoogleAdsFault,
    bad_request,
    failure,
    fault,
    key_of,
    public,
    request_id,
)
from roasloop.sandbox.google.resources import RESOURCES, Resource
from roasloop.sandbox.google.store import Path, Txn
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

#: googleAds:mutate operation keys → resource collections.
OPERATION_KEYS: dict[str, str] = {
    "campaignBudgetOperation": "campaignBudgets",
    "campaignOperation": "campaigns",
    "adGroupOperation": "adGroups",
    "adGroupAdOperation": "adGroupAds",
    "adGroupCriterionOperation": "adGroupCriteria",
    "campaignCriterionOperation": "campaignCriteria",
    "assetOperation": "assets",
}
_REQUEST_FIELDS = {"partialFailure", "validateOnly", "responseContentType"}
_CONTENT_TYPES = {"RESOURCE_NAME_ONLY", "MUTABLE_RESOURCE"}


@dataclass
class Operation:
    resource: Resource
    verb: str
    value: Any
    mask: list[str]
    path: Path


def mutate(world: SandboxWorld, customer_id: str, version: str, collection: str, body: Doc) -> Doc:
    """One resource's mutate: ``{"operations": [...]}`` → ``{"results": [...]}``."""
    resource = RESOURCES[collection]
    raw = _operations(body, "operations")
    ops = [
        _operation(resource, op, (("operations", i),), f"operations[{i}]", version)
        for i, op in enumerate(raw)
    ]
    txn = Txn(world, customer_id, version)
    results, errors = _run(txn, ops, body)
    response = _finish(txn, body, errors, version)
    if body.get("validateOnly"):
        return response
    mutable = body.get("responseContentType") == "MUTABLE_RESOURCE"
    return {"results": [_result(resource, doc, mutable) for doc in results], **response}


def mutate_all(world: SandboxWorld, customer_id: str, version: str, body: Doc) -> Doc:
    """googleAds:mutate: ``{"mutateOperations": [{"campaignOperation": {...}}, ...]}``."""
    raw = _operations(body, "mutateOperations")
    ops: list[Operation] = []
    for i, item in enumerate(raw):
        esf = f"mutate_operations[{i}]"
        if not isinstance(item, dict) or len(item) != 1:
            raise bad_request(esf, f"Invalid value at '{esf}': exactly one operation expected")
        ((key, op),) = item.items()
        if key not in OPERATION_KEYS:
            raise bad_request(
                esf, f"Invalid JSON payload received. Unknown name \"{key}\" at '{esf}'."
            )
        path = (("mutate_operations", i), (snake(key), None))
        resource = RESOURCES[OPERATION_KEYS[key]]
        ops.append(_operation(resource, op, path, f"{esf}.{snake(key)}", version))
    txn = Txn(world, customer_id, version, allow_temporary=True)
    results, errors = _run(txn, ops, body)
    response = _finish(txn, body, errors, version)
    if body.get("validateOnly"):
        return response
    mutable = body.get("responseContentType") == "MUTABLE_RESOURCE"
    responses = [
        {op.resource.result_key + "Result": _result(op.resource, doc, mutable) if doc else {}}
        for op, doc in zip(ops, results, strict=True)
    ]
    return {"mutateOperationResponses": responses, **response}


# --- decoding ------------------------------------------------------------------------------
def _operations(body: Doc, key: str) -> list[Any]:
    for name in body:
        if name != key and name not in _REQUEST_FIELDS:
            raise bad_request(
                "", f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.'
            )
    content = body.get("responseContentType", "RESOURCE_NAME_ONLY")
    if content not in _CONTENT_TYPES:
        raise bad_request(
            "response_content_type", f"Invalid value at 'response_content_type', \"{content}\""
        )
    operations = body.get(key)
    if not isinstance(operations, list) or not operations:
        raise fault(
            "fieldError", "REQUIRED_NONEMPTY_LIST", "The list must not be empty.",
            ((snake(key), None),),
        )  # fmt: skip
    if len(operations) > MAX_OPERATIONS:
        raise fault(
            "requestError", "TOO_MANY_MUTATE_OPERATIONS", "Too many mutate operations.",
            ((snake(key), None),),
        )  # fmt: skip
    return operations


def _operation(resource: Resource, op: Any, path: Path, esf: str, version: str) -> Operation:
    if not isinstance(op, dict):
        raise bad_request(esf, f"Invalid value at '{esf}', {op!r}")
    for name in op:
        if name not in ("create", "update", "remove", "updateMask", "update_mask"):
            raise bad_request(
                esf,
                f"Invalid JSON payload received. Unknown name \"{name}\" at '{esf}': "
                "Cannot find field.",
            )
    verbs = [verb for verb in ("create", "update", "remove") if verb in op]
    if len(verbs) != 1:
        raise bad_request(esf, f"Invalid value at '{esf}': exactly one of create, update, remove.")
    verb = verbs[0]
    value = op[verb]
    if verb != "remove":
        value = decode(value, resource.message, f"{esf}.{verb}", version)
    elif not isinstance(value, str):
        raise bad_request(f"{esf}.remove", f"Invalid value at '{esf}.remove' (TYPE_STRING)")
    mask_text = op.get("updateMask", op.get("update_mask"))
    mask = [p.strip() for p in str(mask_text).split(",") if p.strip()] if mask_text else []
    return Operation(resource, verb, value, mask, (*path, (verb, None)))


# --- running -------------------------------------------------------------------------------
def _run(txn: Txn, ops: list[Operation], body: Doc) -> tuple[list[Doc | None], list[AdsError]]:
    partial = bool(body.get("partialFailure"))
    results: list[Doc | None] = []
    errors: list[AdsError] = []
    for op in ops:
        point = txn.savepoint() if partial else None
        try:
            results.append(_apply(txn, op))
        except GoogleAdsFault as caught:
            if point is None or not caught.errors:
                raise
            txn.rollback(point)
            errors += caught.errors
            results.append(None)
    return results, errors


def _apply(txn: Txn, op: Operation) -> Doc:
    collection = op.resource.collection
    if op.verb == "create":
        doc = _writable(op.value, op.resource)
        requested = op.value.get("resourceName")
        created = op.resource.create(txn, doc, op.path)
        txn.remember_temporary(requested, created["resourceName"])
        return created
    target = op.value if op.verb == "remove" else op.value.get("resourceName")
    if target is None:
        raise GoogleAdsFault("INVALID_ARGUMENT", [_required(op.path, "resource_name")])
    name = txn.resolve(target, op.path, collection)
    doc = txn.existing(str(name), op.path, collection)
    if op.verb == "remove":
        return _remove(txn, op, doc)
    return _update(txn, op, doc)


def _update(txn: Txn, op: Operation, doc: Doc) -> Doc:
    if not op.mask:
        raise fault("fieldMaskError", "FIELD_MASK_MISSING", "The field mask is missing.", op.path)
    for mask_path in op.mask:
        parts = [camel(part) for part in mask_path.split(".")]
        spec = field_spec(op.resource.message, parts)
        where = (*op.path, *((snake(part), None) for part in parts))
        if spec is None:
            raise fault("fieldMaskError", "FIELD_NOT_FOUND", f"Unknown field {mask_path}.", op.path)
        if spec.immutable or spec.output_only or parts[0] == "resourceName":
            raise fault("fieldError", "IMMUTABLE_FIELD", "The field cannot be modified.", where)
        _set_path(doc, op.value, parts, op.resource)
    op.resource.check(txn, doc, op.path)
    if op.resource.updated is not None:
        op.resource.updated(doc, op.mask)
    return txn.put(op.resource.collection, str(doc["_key"]), doc)


def _remove(txn: Txn, op: Operation, doc: Doc) -> Doc:
    if not op.resource.removable:
        raise fault(
            "operationAccessDeniedError",
            "REMOVE_OPERATION_NOT_PERMITTED",
            "Remove operations are not permitted on this resource.",
            op.path,
        )
    if op.resource.collection == "campaignBudgets":
        users = txn.find("campaigns", lambda c: c.get("campaignBudget") == doc["resourceName"])
        if any(c["status"] != "REMOVED" for c in users):
            raise fault(
                "campaignBudgetError", "CAMPAIGN_BUDGET_IN_USE", "The budget is in use.", op.path
            )
    doc["status"] = "REMOVED"
    _touch(txn, op.resource.collection, doc)
    return txn.put(op.resource.collection, str(doc["_key"]), doc)


def _touch(txn: Txn, collection: str, doc: Doc) -> None:
    if collection == "campaigns":
        txn.touched.campaigns.add(doc["id"])
    elif collection in ("adGroups", "campaignCriteria"):
        txn.touched.campaigns.add(key_of(doc.get("campaign", "")))
    elif collection in ("adGroupAds", "adGroupCriteria"):
        ad_group = txn.get("adGroups", key_of(doc["adGroup"]))
        if ad_group is not None:
            txn.touched.campaigns.add(key_of(ad_group["campaign"]))
        if collection == "adGroupAds":
            txn.touched.ads.add(doc["ad"]["id"])


def _set_path(doc: Doc, update: Doc, parts: list[str], resource: Resource) -> None:
    target, source = doc, update
    for part in parts[:-1]:
        target = target.setdefault(part, {})
        source = source.get(part, {}) if isinstance(source, dict) else {}
    last = parts[-1]
    # Setting a field inside a oneof member selects that member (protobuf semantics), so
    # ``maximize_conversions.target_cpa_micros`` moves a campaign to maximize conversions.
    for members in resource.message.oneofs.values():
        if parts[0] in members and parts[0] in update:
            for other in members:
                if other != parts[0] or len(parts) == 1:
                    doc.pop(other, None)
    if isinstance(source, dict) and last in source:
        target[last] = source[last]
    else:
        target.pop(last, None)


def _writable(value: Doc, resource: Resource) -> Doc:
    """The create body without output-only fields and the requested resource name."""
    return {
        key: item
        for key, item in value.items()
        if key != "resourceName" and not resource.message.fields[key].output_only
    }


def _finish(txn: Txn, body: Doc, errors: list[AdsError], version: str) -> Doc:
    if not body.get("validateOnly"):
        txn.commit()
    if not errors:
        return {}
    detail = failure(errors, version, request_id())
    return {"partialFailureError": {"code": 3, "message": errors[0].message, "details": [detail]}}


def _result(resource: Resource, doc: Doc | None, mutable: bool) -> Doc:
    if doc is None:
        return {}
    result: Doc = {"resourceName": doc["resourceName"]}
    if mutable:
        result[resource.result_key] = public(doc)
    return result


def _required(path: Path, name: str) -> AdsError:
    return AdsError(
        "fieldError", "REQUIRED", "The required field was not present.", (*path, (name, None))
    )
