"""OLE2 / Compound File Binary: just enough to tell a legacy .xls from an encrypted Office file.

Read-only scans of the raw bytes; nothing here parses the workbook itself.
"""

from __future__ import annotations

from dataclasses import dataclass

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DIR_ENTRY_SIZE = 128
STREAM_TYPE = b"\x02"
MINI_STREAM_CUTOFF = 4096  # streams smaller than this live in the mini stream, not in sectors
BOF, FILEPASS = 0x0809, 0x002F  # BIFF records: beginning of file; "this workbook is encrypted"


@dataclass(frozen=True)
class CfbStream:
    """A stream's directory entry: first sector and size in bytes."""

    start_sector: int
    size: int


def _sector_size(content: bytes) -> int:
    shift = int.from_bytes(content[30:32], "little")
    return 1 << shift if shift in (9, 12) else 0  # version 3: 512 bytes; version 4: 4096


def cfb_stream(content: bytes, name: str) -> CfbStream | None:
    """The directory entry of the stream `name` in an OLE2 file, or None.

    Rather than walk the FAT to the directory, the UTF-16LE name is searched for
    and accepted only where a directory entry can start (a 128-byte boundary past
    the header sector) with that entry's name length and stream type: the same
    letters inside a cell's text are not at such a place with such fields.
    """
    sector = _sector_size(content)
    encoded = (name + "\0").encode("utf-16-le")
    at = content.find(encoded, sector) if sector else -1
    while at != -1:
        name_length = int.from_bytes(content[at + 64 : at + 66], "little")
        if at % DIR_ENTRY_SIZE == 0 and name_length == len(encoded) and content[at + 66 : at + 67] == STREAM_TYPE:
            start, size = content[at + 116 : at + 120], content[at + 120 : at + 124]
            return CfbStream(int.from_bytes(start, "little"), int.from_bytes(size, "little"))
        at = content.find(encoded, at + 1)
    return None


def workbook_stream(content: bytes) -> CfbStream | None:
    """The BIFF workbook stream: Workbook (BIFF8), or Book (BIFF5); a Word .doc has neither."""
    return cfb_stream(content, "Workbook") or cfb_stream(content, "Book")


def legacy_workbook_encrypted(content: bytes) -> bool:
    """True when a .xls is encrypted: its workbook stream starts with BOF, then FILEPASS.

    That is what a password to open writes (calamine then raises PasswordError).
    Only streams stored in regular sectors are looked at; a stream under 4 KiB
    (the mini stream) is an almost empty workbook, never a real return.
    """
    entry = workbook_stream(content)
    if entry is None or entry.size < MINI_STREAM_CUTOFF:
        return False
    offset = (entry.start_sector + 1) * _sector_size(content)
    if int.from_bytes(content[offset : offset + 2], "little") != BOF:
        return False
    after_bof = offset + 4 + int.from_bytes(content[offset + 2 : offset + 4], "little")
    return int.from_bytes(content[after_bof : after_bof + 2], "little") == FILEPASS
