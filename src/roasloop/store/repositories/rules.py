"""Rules and their executions on SQLAlchemy; webhook secrets sealed with the store's cipher."""

from __future__ import annotations

from dataclasses import replace

from roasloop.domain.models import Rule, RuleExecution
from roasloop.errors import InvalidParameter
from roasloop.ports.store import RuleRepository
from roasloop.store._edge import record_of
from roasloop.store.crypto import seal_secrets, unseal_secrets
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import RuleExecutionRow, RuleRow
from roasloop.translations import N_


class SqlAlchemyRuleRepository(SqlAlchemyRepository, RuleRepository):
    async def save(self, rule: Rule) -> None:
        cipher = self._scope.cipher
        sealed = replace(
            rule,
            condition=seal_secrets(rule.condition, cipher),
            action=seal_secrets(rule.action, cipher),
            applies_to=seal_secrets(rule.applies_to, cipher),
        )
        await self._upsert(RuleRow, [sealed])

    async def get(self, rule_id: str) -> Rule | None:
        row = await self._first(self._select(RuleRow).where(RuleRow.rule_id == rule_id))
        return None if row is None else self._unsealed(row)

    async def all(self, *, enabled_only: bool = False) -> list[Rule]:
        stmt = self._select(RuleRow)
        if enabled_only:
            stmt = stmt.where(RuleRow.enabled.is_(True))
        stmt = stmt.order_by(RuleRow.created_at, self._binary(RuleRow.rule_id))
        return [self._unsealed(row) for row in await self._all(stmt)]

    async def record_execution(self, execution: RuleExecution) -> None:
        await self._upsert(RuleExecutionRow, [execution], replace=False)

    async def list_executions(self, rule_id: str, limit: int = 1000) -> list[RuleExecution]:
        if limit < 1:
            raise InvalidParameter("limit", N_("limit must be at least 1"))
        row = RuleExecutionRow
        stmt = (
            self._select(row)
            .where(row.rule_id == rule_id)
            .order_by(row.executed_at, self._binary(row.execution_id))
            .limit(limit)
        )
        return [record_of(RuleExecution, each) for each in await self._all(stmt)]

    def _unsealed(self, row: RuleRow) -> Rule:
        cipher, rule = self._scope.cipher, record_of(Rule, row)
        return replace(
            rule,
            condition=unseal_secrets(rule.condition, cipher),
            action=unseal_secrets(rule.action, cipher),
            applies_to=unseal_secrets(rule.applies_to, cipher),
        )
