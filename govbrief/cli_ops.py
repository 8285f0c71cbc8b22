"""Analysts' commands beyond `run`: preview and backfill (issue 5, in progress)."""
