"""Creative media on Meta: videos via ``advideos``, images via ``adimages``.

A video upload names the video with roasloop's client key, so a retry after a lost answer
finds the video instead of uploading it twice; an image's hash is the hash of its content, so
a retried upload gives the same hash anyway. An image URL needs no upload: link ads take it as
``picture``.
"""

from __future__ import annotations

from pathlib import Path

from roasloop.errors import InvalidParameter
from roasloop.platforms.meta import mapping
from roasloop.platforms.meta.graph import GRAPH_HOST, VIDEO_HOST, GraphSession
from roasloop.ports.platform import MediaSpec, client_key_tag
from roasloop.translations import N_


async def upload(graph: GraphSession, spec: MediaSpec) -> str:
    """The media id a creative uses: a video id, an image hash or an image URL."""
    if mapping.is_image(spec.media_url):
        if spec.media_url.startswith(("http://", "https://")):
            return spec.media_url
        return await _upload_image(graph, spec)
    return await _upload_video(graph, spec)


async def _upload_video(graph: GraphSession, spec: MediaSpec) -> str:
    name = mapping.tagged(spec.name, spec.client_key)
    url = video_url(graph)
    attempts = 0

    async def attempt() -> str:
        nonlocal attempts
        attempts += 1
        if attempts > 1:
            existing = await _video_by_key(graph, spec.client_key)
            if existing:
                return existing
        if spec.media_url.startswith(("http://", "https://")):
            params = {"name": name, "file_url": spec.media_url}
            created = await graph.once("POST", "", params, url=url)
        else:
            source = (Path(spec.media_url).name, read_media(spec.media_url), "video/mp4")
            created = await graph.once("POST", "", {"name": name}, {"source": source}, url)
        return str(created["id"])

    return await graph.attempt("upload_media", attempt)


async def _upload_image(graph: GraphSession, spec: MediaSpec) -> str:
    content = read_media(spec.media_url)
    files = {"filename": (Path(spec.media_url).name, content, "application/octet-stream")}
    params = {"name": mapping.tagged(spec.name, spec.client_key)}
    path = f"act_{graph.account_id}/adimages"

    async def once() -> str:
        answer = await graph.once("POST", path, params, files)
        return str(next(iter(answer["images"].values()))["hash"])

    return await graph.attempt("upload_media", once)


async def _video_by_key(graph: GraphSession, client_key: str) -> str | None:
    tag = client_key_tag(client_key)
    path = f"act_{graph.account_id}/advideos"
    videos = await graph.list_all("find_video", path, {"fields": "id,title"})
    return next((str(v["id"]) for v in videos if tag in str(v.get("title", ""))), None)


def video_url(graph: GraphSession) -> str:
    """Live uploads go to the video host; the sandbox takes them on its own host."""
    base = str(graph.http.base_url).rstrip("/")
    host = VIDEO_HOST if base == GRAPH_HOST else base
    return f"{host}/{graph.version}/act_{graph.account_id}/advideos"


def read_media(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidParameter(
            "media_url", N_("cannot read creative media {path}"), detail_params={"path": repr(path)}
        ) from exc
