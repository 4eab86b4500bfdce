"""Creative media: only files inside the media folder, of a type read from their content."""

from __future__ import annotations

from pathlib import Path

import pytest

from roasloop.domain.enums import Platform
from tests.integration.harness import PRODUCT_URL, Harness, write_video


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
    error = result["error"]
    assert error["code"] == "1001" and error["details"]["field"] == "media_url", error
    assert h.stored(user, lambda uow: uow.creatives.all()) == []
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
    video = write_video(shared.media_dir / "sub" / f"{user}.mp4", user)
    image = shared.media_dir / f"{user}.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    assert register(shared, user, f"sub/{user}.mp4", "v")["status"] == "success"
    assert register(shared, user, str(image), "i")["status"] == "success"
    stored = shared.stored(user, lambda uow: uow.creatives.get_many(["v", "i"]))
    assert stored["v"].media_url == str(video.resolve())
    assert stored["i"].media_url == str(image.resolve())


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


def test_url_media_goes_to_platforms_that_take_urls_only(fresh: Harness) -> None:
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
    on_google = fresh.execute(
        "create_campaign",
        {"platform": "google", "objective": "sales", "daily_budget": 90, "creative_ids": ["c1"]},
        user=user,
    )
    assert on_google["status"] == "error"
    assert on_google["error"]["details"]["field"] == "creative_ids[0]"
    google = fresh.runtime.sandboxes[Platform.GOOGLE]
    assert list(google.all("gads:campaigns")) == []
