"""What every task shares: the warehouse connection and the no-cache policy."""

from __future__ import annotations

from functools import cache

from prefect.cache_policies import NO_CACHE

from govbrief.clock import Clock
from govbrief.config import Settings
from govbrief.warehouse import LockPolicy, Warehouse, connect

__all__ = ["NO_CACHE", "lock_policy", "warehouse_for"]


def warehouse_for(settings: Settings) -> Warehouse:
    """The run's warehouse, on the run's clock: one migrated connection pool per process, URL and clock."""
    return _connected(settings.warehouse_url, settings.clock)


@cache
def _connected(url: str, clock: Clock) -> Warehouse:
    return connect(url, clock=clock)


def lock_policy(settings: Settings) -> LockPolicy:
    """The run lock's wait and lease from `[run]`; the environment variables override them."""
    configured = LockPolicy(wait_s=settings.run.lock_wait_seconds, lease_s=settings.run.lock_lease_seconds)
    return LockPolicy.from_env(configured)
