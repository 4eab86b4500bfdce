"""Copywriters: offline templates, the seed's fallback chain, and Gemini over its real SDK."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from roasloop.ai.llm import FallbackCopywriter, GeminiCopywriter
from roasloop.ai.template import TemplateCopywriter, product_name
from roasloop.domain.enums import Platform
from roasloop.errors import AIModelTimeout, GenerationFailed
from roasloop.ports.copywriter import AdCopy, CopyRequest, Copywriter

REQUEST = CopyRequest(
    product_url="https://shop.example.com/products/posture-corrector",
    creative_id="hook_problem",
    creative_name="hook",
    platform=Platform.TIKTOK,
    max_length=100,
)


class FailingWriter(Copywriter):
    """A model that is down (the outer boundary of the copy chain)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    async def write(self, request: CopyRequest) -> AdCopy:
        self.calls += 1
        raise self.error


class FixedWriter(Copywriter):
    async def write(self, request: CopyRequest) -> AdCopy:
        return AdCopy("Model copy", "model-x")


async def test_template_copy_is_deterministic_short_and_names_the_product() -> None:
    first = await TemplateCopywriter().write(REQUEST)
    again = await TemplateCopywriter().write(REQUEST)
    assert first == again and first.source == "template"
    assert "Posture Corrector" in first.text and len(first.text) <= 100
    short = await TemplateCopywriter().write(replace(REQUEST, max_length=12))
    assert len(short.text) <= 12


async def test_zh_cn_template_is_chinese() -> None:
    request = replace(REQUEST, locale="zh-CN")
    text = (await TemplateCopywriter().write(request)).text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_product_name_from_url() -> None:
    assert product_name("https://x.com/products/glow-serum_30ml.html") == "Glow Serum 30Ml"
    assert product_name("https://brand.example/") == "brand.example"


async def test_fallback_goes_pro_then_flash_then_template() -> None:
    pro, flash = FailingWriter(AIModelTimeout("pro")), FailingWriter(GenerationFailed("flash"))
    copy = await FallbackCopywriter([pro, flash], TemplateCopywriter()).write(REQUEST)
    assert (pro.calls, flash.calls) == (1, 1)
    assert copy.source == "template"


async def test_fallback_stops_at_the_first_model_that_answers() -> None:
    later = FailingWriter(GenerationFailed("unused"))
    copy = await FallbackCopywriter([FixedWriter(), later], TemplateCopywriter()).write(REQUEST)
    assert copy == AdCopy("Model copy", "model-x") and later.calls == 0


def gemini_network(response: httpx.Response, seen: list[httpx.Request]) -> httpx.AsyncClient:
    """Google's API as the network would answer (the outer boundary of the SDK)."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_gemini_copywriter_reads_the_sdk_response() -> None:
    body = {
        "candidates": [
            {
                "content": {"parts": [{"text": '"Stand tall today. Shop now!"'}], "role": "model"},
                "finishReason": "STOP",
            }
        ]
    }
    seen: list[httpx.Request] = []
    network = gemini_network(httpx.Response(200, json=body), seen)
    writer = GeminiCopywriter("test-key", "gemini-2.5-pro", http_client=network)
    copy = await writer.write(REQUEST)
    assert copy == AdCopy("Stand tall today. Shop now!", "gemini-2.5-pro")
    assert "gemini-2.5-pro:generateContent" in str(seen[-1].url)
    assert "posture-corrector" in seen[-1].content.decode()
    await network.aclose()


async def test_gemini_failure_becomes_generation_failed() -> None:
    network = gemini_network(httpx.Response(400, json={"error": {"code": 400}}), [])
    writer = GeminiCopywriter("test-key", "gemini-2.5-flash", http_client=network)
    with pytest.raises(GenerationFailed):
        await writer.write(REQUEST)
    await network.aclose()
