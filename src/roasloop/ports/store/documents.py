"""Documents: small JSON values kept by ``(kind, key)`` — a campaign's stage thresholds, the
last live status of a campaign (returned when its platform is down)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from roasloop.domain.models import JSON


@dataclass(frozen=True, slots=True)
class Document:
    """A stored JSON document and when it was saved."""

    payload: JSON
    saved_at: datetime


class DocumentRepository(ABC):
    """The unit tenant's documents; ``kind`` names what they hold, ``key`` which one."""

    @abstractmethod
    async def save(self, kind: str, key: str, payload: JSON, at: datetime) -> None:
        """Insert or replace the document ``(kind, key)``."""

    @abstractmethod
    async def get(self, kind: str, key: str) -> Document | None:
        """The document, or ``None``."""
