"""The offline copywriter: deterministic template copy, no keys and no network."""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

from roasloop.ports.copywriter import AdCopy, CopyRequest, Copywriter

#: Hook + call-to-action templates per locale; ``{product}`` is the product's name.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Limited-time offer! Get {product} today. Shop now",
        "{product}: loved by thousands. Tap to shop before it sells out",
        "Why is everyone buying {product}? See for yourself. Shop now",
        "Upgrade your day with {product}. Free shipping, order now",
        "3 reasons to try {product} this week. Tap to shop",
    ),
    "zh-CN": (
        "限时优惠！立即购买{product}",
        "{product}：数千用户好评，手慢无，立即抢购",
        "为什么大家都在买{product}？点击了解，立即下单",
        "{product}，让生活更简单。包邮，立即购买",
        "本周必试{product}的 3 个理由，点击购买",
    ),
}


def product_name(product_url: str) -> str:
    """A readable product name from the URL's last path segment (or its host)."""
    parsed = urlparse(product_url)
    segment = next((p for p in reversed(parsed.path.split("/")) if p), "")
    words = segment.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").strip()
    return words.title() if words else (parsed.hostname or "our product")


class TemplateCopywriter(Copywriter):
    """Picks a template by a stable hash of the creative, so reruns give the same copy."""

    async def write(self, request: CopyRequest) -> AdCopy:
        templates = TEMPLATES.get(request.locale, TEMPLATES["en"])
        digest = hashlib.sha256(f"{request.creative_id}|{request.platform}".encode()).digest()
        template = templates[digest[0] % len(templates)]
        text = template.format(product=product_name(request.product_url))
        return AdCopy(text=_fit(text, request.max_length), source="template")


def _fit(text: str, max_length: int) -> str:
    if len(text) <= max_length:
        return text
    return text[: max(1, max_length - 1)].rstrip() + "…"
