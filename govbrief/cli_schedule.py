"""Ops commands for schedules and deployments: calendar, serve, deploy (issue 5, in progress)."""
