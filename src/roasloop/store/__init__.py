"""Persistence adapters: the SQL store, token encryption and caches.

Build them in the composition root::

    cipher = TokenCipher(settings.encryption_key.get_secret_value())
    store = SqlAlchemyStore(settings.resolved_database_url, cipher)
    await store.migrate()
    cache = (
        RedisCache.from_url(settings.redis_url)
        if settings.cache_backend == "redis"
        else MemoryCache(clock)
    )
"""

from roasloop.store.cache import MemoryCache, RedisCache
from roasloop.store.crypto import TokenCipher, load_or_create_key
from roasloop.store.sqlalchemy_store import SqlAlchemyStore

__all__ = ["MemoryCache", "RedisCache", "SqlAlchemyStore", "TokenCipher", "load_or_create_key"]
