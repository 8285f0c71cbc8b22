"""Open workbooks with calamine in a child process, so a damaged file cannot kill the flow.

One child per process is started on first use and reused (about 0.1 s once);
each workbook costs a pickle round trip. When a workbook makes the child run out
of its memory limit and abort, that file is reported unreadable and the next
file gets a fresh child.
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("_calamine_child.py")
MEMORY_LIMIT_BYTES = 2 << 30  # a real return needs a few MB; a dense 2-GB sheet is an attack or damage


class WorkbookCrashed(Exception):
    """The workbook made the reader exceed its memory limit or crash."""


class WorkbookError(Exception):
    """calamine could not parse the workbook; the message says why."""


class WorkbookPassword(Exception):
    """The workbook is password-protected."""


class CalamineChild:
    """A long-lived child process answering 'these bytes → sheets as rows'."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT_BYTES):
        self.memory_limit = memory_limit
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def sheets(self, data: bytes) -> list[tuple[str, list[list[Any]]]]:
        """Every sheet's name and rows (cached formula values, never evaluated)."""
        with self._lock:
            status, payload = self._ask(data)
        if status == "password":
            raise WorkbookPassword()
        if status == "error":
            raise WorkbookError(str(payload))
        return list(payload)

    def _ask(self, data: bytes) -> tuple[str, Any]:
        process = self._running()
        message = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(struct.pack(">Q", len(message)) + message)
            process.stdin.flush()
            header = process.stdout.read(8)
            if len(header) < 8:
                raise BrokenPipeError("the reader process ended")
            (size,) = struct.unpack(">Q", header)
            answer: tuple[str, Any] = pickle.loads(process.stdout.read(size))
            return answer
        except (BrokenPipeError, OSError, EOFError, pickle.UnpicklingError) as exc:
            self._stop()
            raise WorkbookCrashed(str(exc)) from None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, str(CHILD), str(self.memory_limit)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # calamine's abort message is ours to word, not to print
            )
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


_child = CalamineChild()


def calamine_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    """The process-wide child's answer for these workbook bytes."""
    return _child.sheets(data)
