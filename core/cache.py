"""A Redis cache that degrades to "no cache" while Redis is unreachable.

Rate limits and cached fragments live in the cache. During a Redis outage a web request
must neither hang nor fail: reads miss, writes are dropped, and the error is logged once
per call site. Rate limiting is therefore relaxed during an outage, which is the lesser
evil compared with refusing every login.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    def _guard(self, method: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as error:
            logger.warning("cache %s skipped, Redis unavailable: %s", method, error)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard("get", default, key, default, version)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._guard("set", None, *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        result: bool = self._guard("add", True, *args, **kwargs)
        return result

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        result: bool = self._guard("delete", False, *args, **kwargs)
        return result

    def get_many(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        result: dict[Any, Any] = self._guard("get_many", {}, *args, **kwargs)
        return result

    def set_many(self, *args: Any, **kwargs: Any) -> list[Any]:
        result: list[Any] = self._guard("set_many", [], *args, **kwargs)
        return result

    def incr(self, *args: Any, **kwargs: Any) -> int:
        result: int = self._guard("incr", 1, *args, **kwargs)
        return result

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        result: bool = self._guard("touch", False, *args, **kwargs)
        return result
