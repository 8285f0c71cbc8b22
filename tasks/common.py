"""What every task shares: the warehouse connection and the no-cache policy."""

from __future__ import annotations

from functools import cache

from prefect.cache_policies import NO_CACHE

from govbrief.config import Settings
from govbrief.warehouse import LockPolicy, Warehouse, connect

__all__ = ["NO_CACHE", "lock_policy", "warehouse_for"]


@cache
def warehouse_for(url: str) -> Warehouse:
    """One migrated connection pool per process and URL."""
    return connect(url)


def lock_policy(settings: Settings) -> LockPolicy:
    """The run lock's wait and lease from `[run]`; the environment variables override them."""
    configured = LockPolicy(wait_s=settings.run.lock_wait_seconds, lease_s=settings.run.lock_lease_seconds)
    return LockPolicy.from_env(configured)
