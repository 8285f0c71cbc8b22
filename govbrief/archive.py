"""The raw archive: every received file stored once, untouched, by its sha256.

Everything downstream (frames, warehouse rows, briefs) can be rebuilt from it.
Writes go to a temporary name and are renamed into place, so a crash never
leaves a half-written file under a valid hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePath

from govbrief.model import ReceivedFile
from govbrief.sources.base import FoundFile, SourceQuery


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def archive_path(archive_dir: Path, sha256: str, name: str) -> Path:
    """sha256/ab/abcdef….xlsx — the extension is kept so tools can open it."""
    suffix = PurePath(name).suffix.lower()[:8]
    return archive_dir / "sha256" / sha256[:2] / f"{sha256}{suffix}"


def store(archive_dir: Path, found: FoundFile, query: SourceQuery) -> ReceivedFile:
    """Store `found` untouched (once per content) and describe it."""
    digest = sha256_of(found.content)
    target = archive_path(archive_dir, digest, found.name)
    if not target.exists():
        _write_atomically(target, found.content)
    return ReceivedFile(
        sha256=digest,
        unit_code=query.unit_code,
        return_kind=query.return_kind,
        period_key=query.period_key,
        original_name=found.name,
        origin=found.origin,
        size=len(found.content),
        received_at=found.received_at,
        archive_path=str(target),
    )


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o444)  # archived files are read-only: raw data is immutable
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
