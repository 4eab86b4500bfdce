"""Documents on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from roasloop.domain.models import JSON
from roasloop.ports.store.documents import Document, DocumentRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import DocumentRow


class SqlAlchemyDocumentRepository(SqlAlchemyRepository, DocumentRepository):
    async def save(self, kind: str, key: str, payload: JSON, at: datetime) -> None:
        values = {
            "tenant_id": self._tenant,
            "kind": kind,
            "key": key,
            "payload": payload,
            "saved_at": at,
        }
        await self._upsert_values(DocumentRow, [values], replace=True)

    async def get(self, kind: str, key: str) -> Document | None:
        stmt = self._select(DocumentRow).where(DocumentRow.kind == kind, DocumentRow.key == key)
        row = await self._first(stmt)
        return None if row is None else record_of(Document, row)
