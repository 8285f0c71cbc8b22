"""What a return file really is, from its first bytes, and how its text is encoded.

Clerks rename files freely: a web export saved as .xls is an HTML table, and
WPS writes old BIFF .xls. The reader trusts content, never the extension.
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

from govbrief.readers.cfb import OLE2_MAGIC, cfb_stream

FileFormat = Literal["xlsx", "xls", "csv", "html"]
FILE_FORMATS: tuple[FileFormat, ...] = ("xlsx", "xls", "csv", "html")

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SNIFF_BYTES = 4096
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Names web pages give Chinese encodings; GB18030 reads all of them.
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"})


def sniff_format(head: bytes) -> FileFormat | None:
    """The format the content shows (magic bytes, markup or text), or None when it is none of ours."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    text = head.removeprefix(UTF8_BOM).lstrip()
    if text.startswith(b"<") or _utf16_markup(head):
        return "html"
    return "csv" if head and decode_text(head, partial=True) is not None else None


def _utf16_markup(head: bytes) -> bool:
    if not head.startswith(UTF16_BOMS):
        return False
    text = head[2 : len(head) - len(head) % 2].decode("utf-16", errors="ignore")
    return text.lstrip().startswith("<")


def is_encrypted_package(data: bytes) -> bool:
    """True for an OLE2 file carrying an encrypted Office package (a password-protected .xlsx):
    the same directory-entry test the intake guards use (MS-OFFCRYPTO's EncryptedPackage stream)."""
    return data.startswith(OLE2_MAGIC) and cfb_stream(data, "EncryptedPackage") is not None


def _decode(data: bytes, encoding: str, partial: bool) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        # A sniffed prefix may cut a multi-byte character in two at its very end.
        if partial and exc.start >= len(data) - 3:
            return _decode(data[: exc.start], encoding, partial=False)
        return None


def _looks_like_text(text: str) -> bool:
    return "\x00" not in text


def decode_text(data: bytes, *, declared: str | None = None, partial: bool = False) -> str | None:
    """Text of a CSV or HTML file: a BOM decides; else UTF-8 (strict UTF-8 rarely decodes anything else),
    then the charset the page declares (often wrong: a page saved as UTF-8 still says gb2312), then GB18030."""
    if data.startswith(UTF8_BOM):
        candidates = ["utf-8-sig"]
    elif data.startswith(UTF16_BOMS):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", *([declared] if declared else []), "gb18030"]
    for encoding in candidates:
        text = _decode(data, encoding, partial)
        if text is not None and _looks_like_text(text):
            return text
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (GB names mapped to GB18030)."""
    match = _CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
