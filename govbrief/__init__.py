"""govbrief: the pure core. Never imports Prefect (flows/ and tasks/ do)."""

__version__ = "0.1.0"
