"""Prefect flows: the DAGs. Importing this package sets Prefect's quiet, offline defaults
before Prefect itself is imported (a user can still override any of them)."""

import os

_DEFAULTS = {
    # no network here: telemetry would only log failures
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    # the first ephemeral server on a fresh machine migrates its database: 30-40 s
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    # a successful run prints our summary, not Prefect's INFO lines
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL": "WARNING",
    # results live in our warehouse; Prefect need not pickle them
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}
for _key, _value in _DEFAULTS.items():
    os.environ.setdefault(_key, _value)
