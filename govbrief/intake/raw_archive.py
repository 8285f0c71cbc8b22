"""The raw archive: every received file stored once, untouched, by its sha256.

Everything downstream (frames, warehouse rows, briefs) can be rebuilt from it.
Files are streamed in chunks (a huge upload never sits in memory) to a
temporary name and renamed into place, so a crash never leaves a half-written
file under a valid hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePath

from govbrief.intake.sources import FoundFile, SourceQuery
from govbrief.model import ReceivedFile

CHUNK = 1 << 20


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def archive_path(archive_dir: Path, sha256: str, name: str) -> Path:
    """sha256/ab/abcdef….xlsx — the extension is kept so tools can open it."""
    suffix = PurePath(name).suffix.lower()[:8]
    return archive_dir / "sha256" / sha256[:2] / f"{sha256}{suffix}"


def store(archive_dir: Path, found: FoundFile, query: SourceQuery, unit_code: str | None = None) -> ReceivedFile:
    """Store `found` untouched (once per content) and describe it.

    A file the source refused to read (a symlink) is recorded with no archived
    bytes: its receipt and its refusal are kept, its target never is.
    """
    if found.refusal is not None:
        digest, target, size = sha256_of(f"refused:{found.origin}".encode()), "", 0
    else:
        digest, stored, size = _store_bytes(archive_dir, found)
        target = str(stored)
    return ReceivedFile(
        sha256=digest,
        unit_code=query.unit_code if unit_code is None else unit_code,
        return_kind=query.return_kind,
        period_key=query.period_key,
        original_name=found.name,
        origin=found.origin,
        size=size,
        received_at=found.received_at,
        archive_path=target,
        folders=found.folders,
        problems=(found.refusal,) if found.refusal else (),
    )


def _store_bytes(archive_dir: Path, found: FoundFile) -> tuple[str, Path, int]:
    archive_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=archive_dir, prefix=".incoming-")
    tmp = Path(tmp_name)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(found):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = archive_path(archive_dir, digest.hexdigest(), found.name)
        if target.exists():
            tmp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)  # archived files are read-only: raw data is immutable
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), target, size


def _chunks(found: FoundFile) -> Iterator[bytes]:
    if found.content is not None:
        yield found.content
        return
    assert found.path is not None
    with found.path.open("rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def read_archived(received: ReceivedFile) -> bytes:
    """The archived bytes of a received file (empty when nothing could be archived)."""
    return Path(received.archive_path).read_bytes() if received.archive_path else b""
