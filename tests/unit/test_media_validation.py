"""Media types read from content, and URLs to non-public hosts refused in live mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from roasloop.domain.media import MediaKind
from roasloop.errors import InvalidParameter
from roasloop.media.validation import check_media, sniff


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", MediaKind.MP4),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", MediaKind.MOV),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", MediaKind.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", MediaKind.PNG),
        (b"root:x:0:0:root:/root:/bin/bash", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_content(head: bytes, kind: MediaKind | None) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/clip.mp4",
        "http://localhost:8080/clip.mp4",
        "http://10.1.2.3/clip.mp4",
        "http://192.168.0.7/clip.mp4",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/clip.mp4",
        "http://0.0.0.0/clip.mp4",
    ],
)
async def test_live_mode_refuses_urls_to_non_public_hosts(url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter) as caught:
        await check_media(url, tmp_path, live=True)
    assert caught.value.field == "media_url"


async def test_sandbox_mode_takes_a_url_without_resolving_it(tmp_path: Path) -> None:
    checked = await check_media("https://cdn.example.com/a.mp4", tmp_path, live=False)
    assert checked.location == "https://cdn.example.com/a.mp4" and checked.kind is None
