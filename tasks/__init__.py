"""Prefect tasks: thin wrappers (name, retries, tags) over the govbrief core."""
