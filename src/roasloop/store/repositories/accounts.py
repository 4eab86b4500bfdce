"""Ad accounts on SQLAlchemy, access tokens encrypted with the store's cipher."""

from __future__ import annotations

from dataclasses import replace

from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.ports.store import AccountRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import PlatformAccountRow


class SqlAlchemyAccountRepository(SqlAlchemyRepository, AccountRepository):
    async def save(self, account: PlatformAccount) -> None:
        sealed = self._scope.cipher.encrypt(account.access_token)
        await self._upsert(PlatformAccountRow, [replace(account, access_token=sealed)])

    async def get(self, platform: Platform) -> PlatformAccount | None:
        stmt = (
            self._select(PlatformAccountRow)
            .where(PlatformAccountRow.platform == platform)
            .order_by(
                PlatformAccountRow.created_at.desc(),
                self._binary(PlatformAccountRow.account_id).desc(),
            )
        )
        row = await self._first(stmt)
        if row is None:
            return None
        account = record_of(PlatformAccount, row)
        return replace(account, access_token=self._scope.cipher.decrypt(account.access_token))
