"""Bound ad accounts, with their access tokens encrypted at rest."""

from __future__ import annotations

from abc import ABC, abstractmethod

from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount


class AccountRepository(ABC):
    """The unit tenant's ad accounts; ``access_token`` is stored encrypted and returned
    decrypted (a key that no longer decrypts it raises ``InternalError``)."""

    @abstractmethod
    async def save(self, account: PlatformAccount) -> None:
        """Insert or replace ``account`` (by platform and ``account_id``)."""

    @abstractmethod
    async def get(self, platform: Platform) -> PlatformAccount | None:
        """The account bound on ``platform`` (the newest by ``created_at`` if several)."""
