"""Briefs: one registry of brief kinds; the warehouse's numbers → each brief's plain-data context;
versions, 更正 notes, delivery dates and the archive page."""
