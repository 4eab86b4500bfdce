"""The rules aggregate: automation rules and the log of their executions."""

from __future__ import annotations

from abc import ABC, abstractmethod

from roasloop.domain.models import Rule, RuleExecution


class RuleRepository(ABC):
    """The unit tenant's rules (webhook signing secrets in them encrypted at rest) and
    their executions."""

    @abstractmethod
    async def save(self, rule: Rule) -> None:
        """Insert or replace ``rule`` (by ``rule_id``)."""

    @abstractmethod
    async def get(self, rule_id: str) -> Rule | None:
        """The rule, or ``None``."""

    @abstractmethod
    async def all(self, *, enabled_only: bool = False) -> list[Rule]:
        """The rules (only enabled ones with ``enabled_only``), ordered by ``created_at``
        then ``rule_id``."""

    @abstractmethod
    async def record_execution(self, execution: RuleExecution) -> None:
        """Insert ``execution``; an execution with the same id is left untouched."""

    @abstractmethod
    async def list_executions(self, rule_id: str, limit: int = 1000) -> list[RuleExecution]:
        """The rule's first ``limit`` executions, ordered by ``executed_at`` then
        ``execution_id``. Raises ``InvalidParameter`` (field ``limit``) if ``limit < 1``."""
