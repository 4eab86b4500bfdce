"""The store's repositories on SQLAlchemy, one module per aggregate (see ``ports.store``)."""

from roasloop.store.repositories._base import Scope
from roasloop.store.repositories.ab_tests import SqlAlchemyABTestRepository
from roasloop.store.repositories.accounts import SqlAlchemyAccountRepository
from roasloop.store.repositories.campaigns import SqlAlchemyCampaignRepository
from roasloop.store.repositories.creatives import SqlAlchemyCreativeRepository
from roasloop.store.repositories.documents import SqlAlchemyDocumentRepository
from roasloop.store.repositories.leases import SqlAlchemyLeaseRepository
from roasloop.store.repositories.operations import SqlAlchemyOperationLog
from roasloop.store.repositories.performance import SqlAlchemyPerformanceRepository
from roasloop.store.repositories.plans import SqlAlchemyPlanRepository
from roasloop.store.repositories.queue import SqlAlchemyQueueRepository
from roasloop.store.repositories.rules import SqlAlchemyRuleRepository

__all__ = [
    "Scope",
    "SqlAlchemyABTestRepository",
    "SqlAlchemyAccountRepository",
    "SqlAlchemyCampaignRepository",
    "SqlAlchemyCreativeRepository",
    "SqlAlchemyDocumentRepository",
    "SqlAlchemyLeaseRepository",
    "SqlAlchemyOperationLog",
    "SqlAlchemyPerformanceRepository",
    "SqlAlchemyPlanRepository",
    "SqlAlchemyQueueRepository",
    "SqlAlchemyRuleRepository",
]
