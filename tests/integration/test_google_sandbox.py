"""The Google Ads sandbox over HTTP: validation, mutate semantics and auth."""

from __future__ import annotations

from datetime import timedelta

from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google.protocol import SANDBOX_DEVELOPER_TOKEN
from tests.integration.google_rig import (
    EU,
    VERSION,
    GoogleSandbox,
    create_budget,
    demand_gen_ad,
    failure,
    op,
    path_of,
)


# --- validation ----------------------------------------------------------------------------
async def test_campaign_without_eu_political_flag_names_the_field(sandbox: GoogleSandbox) -> None:
    budget = (await create_budget(sandbox)).json()["results"][0]["resourceName"]
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "campaignBudget": budget,
              "maximizeConversions": {}}  # fmt: skip
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert response.status_code == 400
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (400, "INVALID_ARGUMENT")
    error = failure(response)
    assert error["errorCode"] == {"fieldError": "REQUIRED"}
    assert error["location"]["fieldPathElements"] == [
        {"fieldName": "operations", "index": 0},
        {"fieldName": "create"},
        {"fieldName": "contains_eu_political_advertising"},
    ]


async def test_bad_enum_is_rejected_by_the_rest_front_end(sandbox: GoogleSandbox) -> None:
    create = {"name": "c", "advertisingChannelType": "TIKTOK", "containsEuPoliticalAdvertising": EU}
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert response.status_code == 400
    detail = response.json()["error"]["details"][0]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    violation = detail["fieldViolations"][0]
    assert violation["field"] == "operations[0].create.advertising_channel_type"
    assert "AdvertisingChannelTypeEnum.AdvertisingChannelType" in violation["description"]
    unknown = await sandbox.mutate("campaigns", [{"create": {"nmae": "typo"}}])
    assert 'Unknown name "nmae"' in unknown.json()["error"]["message"]


async def test_money_must_be_whole_cents_in_micros(sandbox: GoogleSandbox) -> None:
    response = await create_budget(sandbox, amountMicros="1234567")
    error = failure(response)
    assert error["errorCode"] == {"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"}
    assert path_of(error)[-1] == "amount_micros"
    shared = (await create_budget(sandbox, explicitlyShared=True, name="shared")).json()
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "maximizeConversions": {},
              "campaignBudget": shared["results"][0]["resourceName"],
              "containsEuPoliticalAdvertising": EU}  # fmt: skip
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert failure(response)["errorCode"] == {
        "campaignBudgetError": "CAMPAIGN_BUDGET_CANNOT_BE_SHARED"
    }


async def test_bidding_must_suit_the_channel(sandbox: GoogleSandbox) -> None:
    budget = (await create_budget(sandbox)).json()["results"][0]["resourceName"]
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "campaignBudget": budget,
              "manualCpc": {}, "containsEuPoliticalAdvertising": EU}  # fmt: skip
    error = failure(await sandbox.mutate("campaigns", [{"create": create}]))
    assert error["errorCode"] == {
        "operationAccessDeniedError": "OPERATION_NOT_PERMITTED_FOR_CAMPAIGN_TYPE"
    }
    assert path_of(error)[-1] == "manual_cpc"


async def test_policy_finding_on_ad_text(sandbox: GoogleSandbox) -> None:
    names = await sandbox.structure()
    ad = demand_gen_ad(names["assetResult"], headline="A miracle cure for skin", name="x [rl:p]")
    response = await sandbox.mutate(
        "adGroupAds", [{"create": {"adGroup": names["adGroupResult"], "ad": ad}}]
    )
    error = failure(response)
    assert error["errorCode"] == {"policyFindingError": "POLICY_FINDING"}
    assert error["trigger"] == {"stringValue": "miracle cure"}
    assert error["details"]["policyFindingDetails"]["policyTopicEntries"][0]["type"] == "PROHIBITED"


# --- mutate semantics ------------------------------------------------------------------------
async def test_mixed_mutate_is_atomic(sandbox: GoogleSandbox) -> None:
    operations = [
        op("campaignBudget", {"resourceName": sandbox.name("campaignBudgets", -1), "name": "b",
            "amountMicros": "5000000", "explicitlyShared": False}),
        op("campaign", {"name": "c", "advertisingChannelType": "DEMAND_GEN",
            "campaignBudget": sandbox.name("campaignBudgets", -1), "maximizeConversions": {}}),
    ]  # fmt: skip
    response = await sandbox.post("googleAds:mutate", {"mutateOperations": operations})
    error = failure(response)
    assert path_of(error)[:3] == ["mutate_operations", "campaign_operation", "create"]
    assert error["location"]["fieldPathElements"][0] == {
        "fieldName": "mutate_operations",
        "index": 1,
    }
    found = await sandbox.search("SELECT campaign_budget.id FROM campaign_budget")
    assert found["results"] == []  # the budget of operation 0 was rolled back too


async def test_partial_failure_and_validate_only(sandbox: GoogleSandbox) -> None:
    good = {"create": {"name": "ok", "amountMicros": "1000000", "explicitlyShared": False}}
    bad = {"create": {"name": "bad", "amountMicros": "1000001"}}
    response = await sandbox.mutate("campaignBudgets", [good, bad], partialFailure=True)
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["resourceName"].startswith(sandbox.name("campaignBudgets", ""))
    assert body["results"][1] == {}
    partial = body["partialFailureError"]
    assert partial["code"] == 3
    error = partial["details"][0]["errors"][0]
    assert error["location"]["fieldPathElements"][0] == {"fieldName": "operations", "index": 1}
    create = {"create": {"name": "v", "amountMicros": "10000"}}
    checked = await sandbox.mutate("campaignBudgets", [create], validateOnly=True)
    assert checked.status_code == 200 and checked.json() == {}
    names = await sandbox.search("SELECT campaign_budget.name FROM campaign_budget")
    assert [r["campaignBudget"]["name"] for r in names["results"]] == ["ok"]


async def test_update_with_mask_immutable_fields_and_remove(sandbox: GoogleSandbox) -> None:
    names = await sandbox.structure()
    campaign = names["campaignResult"]
    update = {"update": {"resourceName": campaign, "status": "PAUSED", "name": "renamed"},
              "updateMask": "status"}  # fmt: skip
    response = await sandbox.mutate("campaigns", [update], responseContentType="MUTABLE_RESOURCE")
    result = response.json()["results"][0]
    assert result["resourceName"] == campaign
    assert (result["campaign"]["status"], result["campaign"]["name"]) == ("PAUSED", "c")
    missing = await sandbox.mutate("campaigns", [{"update": {"resourceName": campaign}}])
    assert failure(missing)["errorCode"] == {"fieldMaskError": "FIELD_MASK_MISSING"}
    immutable = {"update": {"resourceName": campaign, "advertisingChannelType": "SEARCH"},
                 "updateMask": "advertising_channel_type"}  # fmt: skip
    assert failure(await sandbox.mutate("campaigns", [immutable]))["errorCode"] == {
        "fieldError": "IMMUTABLE_FIELD"
    }
    assert (await sandbox.mutate("campaigns", [{"remove": campaign}])).status_code == 200
    rows = await sandbox.search(
        f"SELECT campaign.status FROM campaign WHERE campaign.resource_name = '{campaign}'"
    )
    assert rows["results"][0]["campaign"]["status"] == "REMOVED"
    again = await sandbox.mutate("campaigns", [{"remove": campaign}])
    assert failure(again)["errorCode"] == {
        "operationAccessDeniedError": "OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE"
    }


# --- auth ------------------------------------------------------------------------------------
async def test_developer_token_and_oauth_are_required(sandbox: GoogleSandbox) -> None:
    body = {"query": "SELECT campaign.id FROM campaign"}
    path = sandbox.path("googleAds:search")
    no_dev = await sandbox.client.post(
        path, json=body, headers={"Authorization": sandbox.headers["Authorization"]}
    )
    assert no_dev.status_code == 401
    assert failure(no_dev)["errorCode"] == {"authenticationError": "DEVELOPER_TOKEN_INVALID"}
    no_auth = await sandbox.client.post(
        path, json=body, headers={"developer-token": SANDBOX_DEVELOPER_TOKEN}
    )
    assert no_auth.status_code == 401 and "details" not in no_auth.json()["error"]
    bogus = await sandbox.client.post(
        path, json=body, headers=sandbox.headers | {"Authorization": "Bearer nope"}
    )
    assert failure(bogus)["errorCode"] == {"authenticationError": "OAUTH_TOKEN_INVALID"}
    sandbox.clock.advance(timedelta(hours=2))
    expired = await sandbox.post("googleAds:search", body)
    assert expired.status_code == 401
    assert failure(expired)["errorCode"] == {"authenticationError": "OAUTH_TOKEN_EXPIRED"}


async def test_other_customers_and_login_customer_id_are_refused(sandbox: GoogleSandbox) -> None:
    other_token = (await sandbox.token("someone-else"))["access_token"]
    other_headers = sandbox.headers | {"Authorization": f"Bearer {other_token}"}
    listed = await sandbox.client.get(
        f"/{VERSION}/customers:listAccessibleCustomers", headers=other_headers
    )
    other = listed.json()["resourceNames"][0].split("/")[1]
    assert other != sandbox.customer_id
    body = {"query": "SELECT campaign.id FROM campaign"}
    response = await sandbox.client.post(
        f"/{VERSION}/customers/{other}/googleAds:search", json=body, headers=sandbox.headers
    )
    assert response.status_code == 403
    assert failure(response)["errorCode"] == {"authorizationError": "USER_PERMISSION_DENIED"}
    ok = await sandbox.post("googleAds:search", body, **{"login-customer-id": sandbox.customer_id})
    assert ok.status_code == 200
    assert (
        await sandbox.post("googleAds:search", body, **{"login-customer-id": other})
    ).status_code == 403


async def test_token_endpoint_errors(sandbox: GoogleSandbox) -> None:
    form = {"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET}
    wrong = await sandbox.client.post(
        "/token", data={**form, "client_secret": "x", "grant_type": "refresh_token"}
    )
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    revoked = await sandbox.client.post(
        "/token", data={**form, "grant_type": "refresh_token", "refresh_token": "1//x"}
    )
    assert (revoked.status_code, revoked.json()["error"]) == (400, "invalid_grant")
    odd = await sandbox.client.post("/token", data={**form, "grant_type": "password"})
    assert odd.json()["error"] == "unsupported_grant_type"
    again = await sandbox.token("code-1")
    assert again["token_type"] == "Bearer" and again["expires_in"] == 3599
    refreshed = await sandbox.client.post(
        "/token",
        data={**form, "grant_type": "refresh_token", "refresh_token": again["refresh_token"]},
    )
    assert set(refreshed.json()) == {"access_token", "expires_in", "token_type", "scope"}
