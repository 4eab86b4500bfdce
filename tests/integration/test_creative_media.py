"""Creative media: only files inside the media folder, of a type read from their content,
whose headers read and fit what some platform takes; each platform's own limits at launch,
before any write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roasloop.domain.enums import Platform
from tests.integration.harness import PRODUCT_URL, Harness, write_video
from tests.media_files import media_bytes, png, video, with_movie_header, write_media

#: The sandbox document kind of a campaign on each platform.
CAMPAIGNS = {"tiktok": "campaign", "meta": "meta_campaign", "google": "gads:campaigns"}


def register(h: Harness, user: str, media_url: str, creative_id: str = "c1") -> dict[str, object]:
    params = {
        "creative_id": creative_id,
        "name": creative_id,
        "product_url": PRODUCT_URL,
        "media_url": media_url,
    }
    return h.execute("register_creative", params, user=user)


def refused_media(h: Harness, user: str, media_url: str) -> str:
    """Register ``media_url``; assert it is refused naming the field and nothing is stored."""
    result = register(h, user, media_url)
    assert result["status"] == "error", result
    error: Any = result["error"]
    assert error["code"] == "1001" and error["details"]["field"] == "media_url", error
    assert h.stored(user, lambda uow: uow.creatives.all()) == []
    return str(error["message"])


def registered(h: Harness, user: str, name: str, data: bytes, creative_id: str = "c1") -> str:
    """Register a file holding ``data``; its creative id."""
    path = h.media_dir / f"{user}-{name}"
    path.write_bytes(data)
    assert register(h, user, path.name, creative_id)["status"] == "success"
    return creative_id


def launch(h: Harness, user: str, platform: str, creative_ids: list[str]) -> dict[str, Any]:
    params = {
        "platform": platform,
        "objective": "sales",
        "daily_budget": 90,
        "creative_ids": creative_ids,
    }
    return h.execute("create_campaign", params, user=user)


def refused_launch(h: Harness, user: str, platform: str, creative_ids: list[str]) -> str:
    """Launch on ``platform``; assert the last creative is refused before any write."""
    result = launch(h, user, platform, creative_ids)
    assert result["status"] == "error", result
    error = result["error"]
    assert error["code"] == "1001", error
    assert error["details"]["field"] == f"creative_ids[{len(creative_ids) - 1}]", error
    world = h.runtime.sandboxes[Platform(platform)]
    assert list(world.all(CAMPAIGNS[platform])) == []
    assert h.stored(user, lambda uow: uow.operations.find()) == []
    return str(error["message"])


@pytest.mark.parametrize("outside", ["/etc/passwd", "../../../../etc/passwd", "/etc"])
def test_files_outside_the_media_folder_are_refused(shared: Harness, outside: str) -> None:
    refused_media(shared, shared.new_user(), outside)


def test_a_symlink_out_of_the_media_folder_is_refused(shared: Harness) -> None:
    link = shared.media_dir / f"{shared.new_user()}.mp4"
    link.symlink_to("/etc/passwd")
    refused_media(shared, shared.new_user(), str(link))
    refused_media(shared, shared.new_user(), link.name)


def test_missing_and_unknown_files_are_refused(shared: Harness) -> None:
    user = shared.new_user()
    refused_media(shared, user, "no-such-clip.mp4")
    text = shared.media_dir / f"{user}-notes.mp4"
    text.write_text("not a video")
    assert "MP4" in refused_media(shared, user, str(text))


def test_videos_and_images_inside_the_folder_are_taken(shared: Harness) -> None:
    user = shared.new_user()
    video_file = write_video(shared.media_dir / "sub" / f"{user}.mp4", user)
    image = write_media(shared.media_dir / f"{user}.png", user, "landscape")
    assert register(shared, user, f"sub/{user}.mp4", "v")["status"] == "success"
    assert register(shared, user, str(image), "i")["status"] == "success"
    stored = shared.stored(user, lambda uow: uow.creatives.get_many(["v", "i"]))
    assert stored["v"].media_url == str(video_file.resolve())
    assert stored["i"].media_url == str(image.resolve())


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("header-only.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "how large its picture is"),
        ("cut.mp4", media_bytes("cut")[:300], "damaged or cut short"),
        ("no-timescale.mp4", with_movie_header(video(640, 640, 6), timescale=0), "how long"),
        ("blink.mp4", with_movie_header(video(640, 640, 6), duration=500), "lasts 0.5 seconds"),
        ("postage-stamp.mp4", video(112, 112, 6), "112×112"),
        ("thumbnail.png", png(500, 300), "500×300"),
    ],
)
def test_media_no_platform_takes_is_refused_when_registered(
    shared: Harness, name: str, data: bytes, said: str
) -> None:
    user = shared.new_user()
    (shared.media_dir / f"{user}-{name}").write_bytes(data)
    assert said in refused_media(shared, user, f"{user}-{name}")


def test_refusals_at_registration_are_said_in_chinese(shared: Harness) -> None:
    user = shared.new_user()
    (shared.media_dir / f"{user}-blink.mp4").write_bytes(
        with_movie_header(video(640, 640, 6), duration=500)
    )
    params = {"name": "c", "product_url": PRODUCT_URL, "media_url": f"{user}-blink.mp4"}
    result = shared.execute("register_creative", params, user=user, locale="zh-CN")
    message = result["error"]["message"]
    assert "0.5" in message and "seconds" not in message, message


@pytest.mark.parametrize(
    ("platform", "name", "data", "said"),
    [
        ("tiktok", "short.mp4", video(640, 640, 3), "5 to 600 seconds"),
        ("tiktok", "portrait.mp4", video(1080, 1350, 6), "9:16 ≥ 540×960"),
        ("tiktok", "picture.png", png(1200, 628), "video ads"),
        ("meta", "letterbox.mp4", video(1280, 640, 6), "9:16–16:9 ≥ 120×120"),
        ("meta", "strip.png", png(600, 314), "≥ 600×315"),
        ("google", "clip.mp4", video(1080, 1920, 6), "YouTube"),
        ("google", "square.png", png(1080, 1080), "1.91:1 ≥ 600×314"),
        ("google", "heavy.png", png(1200, 628) + bytes(6 * 2**20), "at most 5 MB"),
    ],
)
def test_each_platform_refuses_what_it_does_not_take_before_any_write(
    fresh: Harness, platform: str, name: str, data: bytes, said: str
) -> None:
    user = fresh.new_user()
    fine = "landscape" if platform == "google" else "video"
    path = write_media(fresh.media_dir / f"{user}-fine", user, fine)
    assert register(fresh, user, path.name, "fine")["status"] == "success"
    misfit = registered(fresh, user, name, data, "misfit")
    message = refused_launch(fresh, user, platform, ["fine", misfit])
    assert said in message, message


def test_what_one_platform_refuses_another_takes(fresh: Harness) -> None:
    user = fresh.new_user()
    portrait = registered(fresh, user, "portrait.mp4", video(1080, 1350, 6), "portrait")
    assert launch(fresh, user, "tiktok", [portrait])["status"] == "error"
    on_meta = launch(fresh, user, "meta", [portrait])
    assert on_meta["status"] == "success", on_meta
    strip = registered(fresh, user, "strip.png", png(600, 314), "strip")
    assert launch(fresh, user, "meta", [strip])["status"] == "error"
    on_google = launch(fresh, user, "google", [strip])
    assert on_google["status"] == "success", on_google


def test_a_file_gone_since_registration_stops_the_launch_before_any_write(fresh: Harness) -> None:
    user = fresh.new_user()
    creatives = fresh.creatives(user, 2)
    stored = fresh.stored(user, lambda uow: uow.creatives.get_many(creatives))
    Path(stored[creatives[1]].media_url).unlink()
    result = fresh.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": creatives},
        user=user,
    )
    assert result["status"] == "error"
    assert result["error"]["details"]["field"] == "creative_ids[1]"
    assert fresh.docs("campaign") == [] and fresh.docs("video") == []


def test_url_media_goes_by_url_to_platforms_that_take_urls(fresh: Harness) -> None:
    user = fresh.new_user()
    url = "https://cdn.example.com/clips/hook.mp4"
    assert register(fresh, user, url)["status"] == "success"
    on_tiktok = fresh.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": ["c1"]},
        user=user,
    )
    assert on_tiktok["status"] == "success", on_tiktok
    uploads = [r for r in fresh.transport.requests if r.url.path.endswith("/video/ad/upload/")]
    assert uploads and all(b"UPLOAD_BY_URL" in r.content for r in uploads)
