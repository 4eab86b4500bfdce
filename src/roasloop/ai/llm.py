"""LLM copywriters (Gemini via google-genai, OpenAI) and the seed's fallback chain.

Seed 000 "降级策略": Gemini 2.5 Pro → Gemini 2.5 Flash → template copy. Each client is
built per process from settings (no module-level SDK state).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
import structlog

from roasloop.errors import AIModelTimeout, GenerationFailed, RoasloopError
from roasloop.ports.copywriter import AdCopy, CopyRequest, Copywriter

log = structlog.get_logger(__name__)

#: The seed's prompt (000 "AI Client"), in the request's language.
PROMPTS = {
    "zh-CN": (
        "为以下产品生成吸引人的广告文案（{max_length} 字以内）：\n产品链接：{product_url}\n"
        "平台：{platform}\n\n要求：\n1. 突出产品卖点\n2. 包含行动号召（CTA）\n3. 符合平台规范\n"
        "4. 语言简洁有力\n只输出文案本身。"
    ),
    "en": (
        "Write compelling ad copy (at most {max_length} characters) for this product:\n"
        "Product link: {product_url}\nPlatform: {platform}\n\nRequirements:\n"
        "1. Highlight the selling points\n2. Include a call to action\n"
        "3. Follow the platform's ad policies\n4. Be short and punchy\nReply with the copy only."
    ),
}
MODEL_TIMEOUT_SECONDS = 30.0


def build_prompt(request: CopyRequest) -> str:
    template = PROMPTS.get(request.locale, PROMPTS["en"])
    return template.format(
        max_length=request.max_length, product_url=request.product_url, platform=request.platform
    )


def clean_copy(text: str | None, max_length: int) -> str:
    """Strip quotes/whitespace and enforce the length; empty output is a failure."""
    cleaned = (text or "").strip().strip('"“”').strip()
    if not cleaned:
        raise GenerationFailed("the model returned no text")
    return cleaned[:max_length]


class GeminiCopywriter(Copywriter):
    """One Gemini model through the official ``google-genai`` SDK."""

    def __init__(
        self,
        api_key: str,
        model: str,
        timeout: float = MODEL_TIMEOUT_SECONDS,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        from google import genai
        from google.genai import types

        options = types.HttpOptions(httpx_async_client=http_client) if http_client else None
        self._client = genai.Client(api_key=api_key, http_options=options)
        self._model = model
        self._timeout = timeout

    async def write(self, request: CopyRequest) -> AdCopy:
        try:
            response = await asyncio.wait_for(
                self._client.aio.models.generate_content(
                    model=self._model, contents=build_prompt(request)
                ),
                self._timeout,
            )
        except TimeoutError as exc:
            raise AIModelTimeout(self._model) from exc
        except Exception as exc:  # the SDK raises many types; all mean "no copy"
            raise GenerationFailed(f"{self._model}: {type(exc).__name__}") from exc
        return AdCopy(text=clean_copy(response.text, request.max_length), source=self._model)


class OpenAICopywriter(Copywriter):
    """One OpenAI chat model through the official ``openai`` SDK."""

    def __init__(self, api_key: str, model: str, timeout: float = MODEL_TIMEOUT_SECONDS) -> None:
        from openai import AsyncOpenAI

        self._client = AsyncOpenAI(api_key=api_key, timeout=timeout, max_retries=0)
        self._model = model

    async def write(self, request: CopyRequest) -> AdCopy:
        from openai import APITimeoutError

        try:
            response = await self._client.chat.completions.create(
                model=self._model,
                messages=[{"role": "user", "content": build_prompt(request)}],
            )
        except APITimeoutError as exc:
            raise AIModelTimeout(self._model) from exc
        except Exception as exc:  # the SDK raises many types; all mean "no copy"
            raise GenerationFailed(f"{self._model}: {type(exc).__name__}") from exc
        text = response.choices[0].message.content if response.choices else None
        return AdCopy(text=clean_copy(text, request.max_length), source=self._model)


class FallbackCopywriter(Copywriter):
    """Tries each writer in order; the last one (the template writer) must not fail."""

    def __init__(self, writers: Sequence[Copywriter], last_resort: Copywriter) -> None:
        self._writers = tuple(writers)
        self._last_resort = last_resort

    async def write(self, request: CopyRequest) -> AdCopy:
        for writer in self._writers:
            try:
                return await writer.write(request)
            except RoasloopError as exc:
                log.warning(
                    "copywriter_fallback",
                    writer=type(writer).__name__,
                    error_code=exc.code,
                    error_type=exc.type,
                )
        return await self._last_resort.write(request)
