"""What every task shares: the warehouse connection and the no-cache policy."""

from __future__ import annotations

from functools import cache

from prefect.cache_policies import NO_CACHE

from govbrief.warehouse import Warehouse, connect

__all__ = ["NO_CACHE", "warehouse_for"]


@cache
def warehouse_for(url: str) -> Warehouse:
    """One migrated connection pool per process and URL."""
    return connect(url)
