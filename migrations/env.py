"""Alembic environment: all the logic lives in govbrief.warehouse.migrate.run_env."""

from alembic import context

from govbrief.warehouse.migrate import run_env

run_env(context)
