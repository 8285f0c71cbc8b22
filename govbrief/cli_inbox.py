"""Inbox watching from the command line (issue 5, in progress)."""
