"""A tiny progress channel: the core reports stages, whoever runs it decides how to show them.

The CLI installs a rich progress bar; tests and servers keep the silent default.
"""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins, with `total` steps when known."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""


class SilentProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


_sink: ProgressSink = SilentProgress()


def use(sink: ProgressSink | None) -> None:
    """Send progress to `sink` (None restores silence)."""
    global _sink
    _sink = sink or SilentProgress()


def stage(name: str, total: int | None = None) -> None:
    _sink.stage(name, total)


def advance(steps: int = 1) -> None:
    _sink.advance(steps)
