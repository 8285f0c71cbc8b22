"""Intake guards: refuse a file on its raw bytes, before any parser touches it.

The file has already been archived untouched; these checks only read it. They
catch what a parser must never be handed: an empty or huge file, a zip bomb,
an encrypted workbook, something that is not a spreadsheet at all, and drop
folder entries (symlinks, names outside the drop) that would read other files
on the server. The content, never the extension, says what a file is.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from govbrief.problems import Problem, Severity
from govbrief.readers.cfb import OLE2_MAGIC, cfb_stream, legacy_workbook_encrypted, workbook_stream

FileFormat = Literal["xlsx", "xls", "encrypted_ooxml", "csv", "html", "pdf", "zip", "unknown"]
ReadableFormat = Literal["xlsx", "xls", "csv", "html"]
READABLE: dict[str, ReadableFormat] = {"xlsx": "xlsx", "xls": "xls", "csv": "csv", "html": "html"}
MIB = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    """Bounds no real county return comes near.

    A return is a few sheets of a few hundred rows: well under 1 MiB on disk and a
    few MiB unzipped. 20 MiB on disk leaves room for pasted pictures; 200 MiB
    unzipped is what a 20 MiB workbook of plain XML (ratio about 10) reaches. Real
    xlsx members compress 5-20 times; a ratio over 200 is deliberate (zeros or
    repeated tags), and only ratios of members larger than `ratio_floor_bytes`
    count, since a tiny member's ratio says nothing. 10,000 members is far beyond
    the ~20 parts of a workbook and bounds the central directory we read.
    """

    max_bytes: int = 20 * MIB
    max_unzipped_bytes: int = 200 * MIB
    max_compression_ratio: float = 200.0
    max_zip_members: int = 10_000
    ratio_floor_bytes: int = 1 * MIB


@dataclass(frozen=True)
class Inspection:
    """What the guards found: the format to read the file as (None when refused) and the problems."""

    file_format: ReadableFormat | None
    problems: list[Problem]


# ----- what the content is ---------------------------------------------------

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MARKUP_HEAD = 64 * 1024  # Excel's HTML exports open with a long <style> block before the table
HTML_MARKERS = ("<html", "<table", "<!doctype html")
SPREADSHEET_XML = "urn:schemas-microsoft-com:office:spreadsheet"  # Excel 2003 XML, not HTML
# C0 controls other than tab, LF, FF and CR, and undecodable bytes: text files have next to
# none, binaries plenty.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_ODD_SHARE = 0.01

# (zh, en) descriptions of what a content is, for the clerk-facing messages.
WHAT: dict[str, tuple[str, str]] = {
    "xlsx": ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
    "xls": ("Excel 97-2003 工作簿（.xls）", "an Excel 97-2003 workbook (.xls)"),
    "csv": ("CSV 文本", "CSV text"),
    "html": ("网页表格（HTML）", "an HTML table (a web export)"),
    "pdf": ("PDF 文档", "a PDF document"),
    "zip": ("ZIP 压缩包", "a ZIP archive"),
    "encrypted_ooxml": ("加密的 Office 文档", "an encrypted Office document"),
    "xlsb": ("Excel 二进制工作簿（.xlsb）", "an Excel binary workbook (.xlsb)"),
    "spreadsheet_xml": ("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"),
    "markup": ("XML 或其他标记文本", "XML or other markup"),
    "other_ole": ("其他 Office 文档（如 Word .doc）", "another Office document (e.g. a Word .doc)"),
    "unknown": ("无法识别的二进制内容", "unrecognised binary content"),
}


@dataclass(frozen=True)
class Sniffed:
    """A format and the finer description the messages use (xlsb, Excel 2003 XML… are all "unknown")."""

    file_format: FileFormat
    what: str


def sniff_format(content: bytes) -> FileFormat:
    """What the content is, from its magic bytes, zip directory or text, whatever the file is called."""
    return sniff(content).file_format


def sniff(content: bytes) -> Sniffed:
    """sniff_format with the description of the content for messages."""
    if content.startswith(ZIP_MAGICS):
        return _sniff_zip(content)
    if content.startswith(OLE2_MAGIC):
        return _sniff_ole(content)
    if content[:1024].lstrip().startswith(b"%PDF"):
        return Sniffed("pdf", "pdf")
    head = _markup_head(content)
    if head.startswith("<"):
        return _sniff_markup(head)
    return Sniffed("csv", "csv") if _is_text(content) else Sniffed("unknown", "unknown")


def _sniff_zip(content: bytes) -> Sniffed:
    members = zip_members(content)
    names = {m.filename for m in members} if isinstance(members, list) else set()
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return Sniffed("zip", "zip")
    return Sniffed("unknown", "xlsb") if "xl/workbook.bin" in names else Sniffed("xlsx", "xlsx")


def _sniff_ole(content: bytes) -> Sniffed:
    if cfb_stream(content, "EncryptedPackage"):
        return Sniffed("encrypted_ooxml", "encrypted_ooxml")
    # BIFF8 names its stream Workbook, BIFF5 Book; a Word .doc has neither.
    if workbook_stream(content):
        return Sniffed("xls", "xls")
    return Sniffed("unknown", "other_ole")


def _markup_head(content: bytes) -> str:
    """The first bytes as lower-case text without BOM or leading space (markup is ASCII)."""
    head = content[:MARKUP_HEAD]
    text = head.decode("utf-16", errors="ignore") if head.startswith(UTF16_BOMS) else head.decode("latin-1")
    return text.removeprefix("\ufeff").removeprefix(UTF8_BOM.decode("latin-1")).lstrip().lower()


def _sniff_markup(head: str) -> Sniffed:
    if SPREADSHEET_XML in head and "<html" not in head:
        return Sniffed("unknown", "spreadsheet_xml")
    if any(marker in head for marker in HTML_MARKERS):
        return Sniffed("html", "html")
    return Sniffed("unknown", "markup")


def _encodings(content: bytes) -> list[str]:
    if content.startswith(UTF8_BOM):
        return ["utf-8-sig"]
    return ["utf-16"] if content.startswith(UTF16_BOMS) else ["utf-8", "gb18030"]


def _lenient_text(content: bytes) -> str:
    """The content decoded as well as it goes: the first encoding that fits, else the one leaving
    the fewest undecodable bytes."""
    for encoding in _encodings(content):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    readings = [content.decode(encoding, errors="replace") for encoding in _encodings(content)]
    return min(readings, key=lambda text: text.count("\ufffd"))


def _is_text(content: bytes) -> bool:
    """Text in one of the clerks' encodings. A few undecodable bytes (a file cut mid-character, a
    stray byte) still make it text: the reader then names the encoding problem precisely."""
    text = _lenient_text(content)
    if "\x00" in text:
        return False
    oddities = text.count("\ufffd") + sum(1 for _ in _CONTROLS.finditer(text))
    return oddities <= MAX_ODD_SHARE * len(text)


def zip_members(content: bytes) -> list[zipfile.ZipInfo] | str:
    """The archive's members from its central directory only (nothing is extracted), or why it is unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
        return str(exc) or type(exc).__name__


# ----- the guards --------------------------------------------------------------

# Extensions clerks may use, and the format each promises. .htm/.html are accepted:
# web systems export tables as HTML, and the reader reads them.
EXTENSION_FORMATS: dict[str, ReadableFormat] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".csv": "csv",
    ".htm": "html",
    ".html": "html",
}
_BLANK = b" \t\r\n\x0b\x0c\x00"  # a file of zero bytes only is a copy that never got its data
ZIP_ENCRYPTED = 0x1  # general purpose flag bit 0: the member is encrypted


def inspect_content(name: str, content: bytes, limits: IntakeLimits = IntakeLimits()) -> Inspection:
    """Every file-level problem of a received file, and the format to read it as (None when refused)."""
    if too_big := oversized(name, len(content), limits):
        return Inspection(None, [too_big])  # nothing more is looked at in a file this size
    if not content.removeprefix(UTF8_BOM).strip(_BLANK):
        return Inspection(None, [_empty(name)])
    sniffed = sniff(content)
    if problems := _refusals(name, content, sniffed, limits):
        return Inspection(None, problems)
    readable = READABLE[sniffed.file_format]  # every other format was refused
    promised = EXTENSION_FORMATS.get(_extension(name))
    return Inspection(readable, [] if promised == readable else [_extension_mismatch(name, readable)])


def _refusals(name: str, content: bytes, sniffed: Sniffed, limits: IntakeLimits) -> list[Problem]:
    """The errors that keep the file from any parser."""
    members = zip_members(content) if content.startswith(ZIP_MAGICS) else []
    if isinstance(members, str):
        return [_corrupt(name, members)]
    if sniffed.file_format == "xlsx":
        return _workbook_archive_problems(name, members, limits)
    encrypted_xls = sniffed.file_format == "xls" and legacy_workbook_encrypted(content)
    if sniffed.file_format == "encrypted_ooxml" or encrypted_xls:
        return [_password_protected(name)]
    return [] if sniffed.file_format in READABLE else [_content_mismatch(name, sniffed.what)]


def oversized(name: str, size: int, limits: IntakeLimits = IntakeLimits()) -> Problem | None:
    """oversized_file when `size` bytes exceed the limit (callers can check a file's size without reading it)."""
    if size <= limits.max_bytes:
        return None
    size_mb, limit_mb = size / MIB, limits.max_bytes / MIB
    return Problem(
        "error",
        "oversized_file",
        f"文件大小 {size_mb:.1f} MB，超过 {limit_mb:g} MB 上限（正常报表不到 1 MB），请确认是否传错了文件",
        f"the file is {size_mb:.1f} MB, over the {limit_mb:g} MB limit (a real return is under 1 MB); "
        "check that the right file was sent",
        file=name,
        value=str(size),
    )


def _workbook_archive_problems(name: str, members: list[zipfile.ZipInfo], limits: IntakeLimits) -> list[Problem]:
    problems = [_password_protected(name)] if any(m.flag_bits & ZIP_ENCRYPTED for m in members) else []
    if reason := _bomb_reason(members, limits):
        problems.append(_zip_bomb(name, *reason))
    return problems


def _bomb_reason(members: list[zipfile.ZipInfo], limits: IntakeLimits) -> tuple[str, str] | None:
    """Why the declared sizes look like a zip bomb, in (zh, en), or None."""
    if len(members) > limits.max_zip_members:
        return f"包含 {len(members)} 个部件", f"it has {len(members)} members"
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        return (
            f"解压后将达 {total / MIB:.0f} MB（上限 {limits.max_unzipped_bytes / MIB:g} MB）",
            f"it would expand to {total / MIB:.0f} MB (limit {limits.max_unzipped_bytes / MIB:g} MB)",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
            return (
                f"部件 {member.filename} 压缩比达 {ratio:.0f}:1",
                f"member {member.filename} is compressed {ratio:.0f}:1",
            )
    return None


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def _shown_extension(name: str) -> tuple[str, str]:
    ext = _extension(name)
    return (ext, ext) if ext else ("（无扩展名）", "(no extension)")


def _empty(name: str) -> Problem:
    return Problem(
        "error",
        "empty_file",
        "文件为空（0 字节或只有空白），请重新导出后报送",
        "the file is empty (0 bytes or blank); export it again and resend",
        file=name,
    )


def _zip_bomb(name: str, reason_zh: str, reason_en: str) -> Problem:
    return Problem(
        "error",
        "zip_bomb",
        f"工作簿{reason_zh}，远超任何正常报表，疑为损坏或恶意文件，不予读取",
        f"the workbook is refused: {reason_en}, far beyond any real return (corrupt or malicious)",
        file=name,
    )


def _password_protected(name: str) -> Problem:
    return Problem(
        "error",
        "password_protected",
        "文件设有打开密码（已加密），系统无法读取，请取消密码后重新报送",
        "the file is password-protected (encrypted) and cannot be read; remove the password and resend",
        file=name,
    )


def _corrupt(name: str, detail: str) -> Problem:
    return Problem(
        "error",
        "corrupt_file",
        f"文件已损坏，无法打开（{detail}），请用 Excel 或 WPS 重新保存后报送",
        f"the file is corrupt and cannot be opened ({detail}); save it again in Excel or WPS and resend",
        file=name,
    )


def _content_mismatch(name: str, what: str) -> Problem:
    return _named_otherwise(
        name,
        what,
        "error",
        "content_mismatch",
        (
            "，不是系统能读取的电子表格；请报送 Excel 工作簿（.xlsx）",
            ", not a spreadsheet the system can read; send an Excel workbook (.xlsx)",
        ),
    )


def _extension_mismatch(name: str, readable: ReadableFormat) -> Problem:
    return _named_otherwise(
        name,
        readable,
        "warning",
        "extension_mismatch",
        ("，已按实际内容读取；建议另存为 .xlsx 后报送", "; it was read as such. Saving it as .xlsx is recommended"),
    )


def _named_otherwise(name: str, what: str, severity: Severity, rule: str, then: tuple[str, str]) -> Problem:
    """A file whose extension says one thing and whose content another; `then` ends the sentence."""
    ext_zh, ext_en = _shown_extension(name)
    what_zh, what_en = WHAT[what]
    return Problem(
        severity,
        rule,
        f"文件扩展名为 {ext_zh}，但内容是{what_zh}{then[0]}",
        f"the file is named {ext_en} but its content is {what_en}{then[1]}",
        file=name,
        value=ext_en,
    )


def check_path(path: Path, root: Path) -> Problem | None:
    """symlink_refused, outside_drop or not_a_file for an entry of the drop folder; None when it may be read.

    Only lstat and resolve touch the file system: a symlink is never followed.
    """
    try:
        info = path.lstat()
    except OSError:
        return _not_a_file(path, "已不存在或无法访问", "no longer exists or cannot be accessed")
    if stat.S_ISLNK(info.st_mode):
        return _path_problem(
            path,
            "symlink_refused",
            "文件是符号链接，出于安全原因不予读取，请直接报送文件本身",
            "the file is a symbolic link; it is not followed for safety, send the file itself",
        )
    if not path.resolve().is_relative_to(root.resolve()):
        return _path_problem(
            path,
            "outside_drop",
            "文件位于报送文件夹之外，不予读取",
            "the file lies outside the drop folder and is not read",
        )
    if not stat.S_ISREG(info.st_mode):
        return _not_a_file(path, "不是普通文件（目录、设备或管道）", "is not a regular file (a folder, device or pipe)")
    return None


def _not_a_file(path: Path, why_zh: str, why_en: str) -> Problem:
    return _path_problem(path, "not_a_file", f"该条目{why_zh}，不予读取", f"the entry {why_en}; it is not read")


def _path_problem(path: Path, rule: str, zh: str, en: str) -> Problem:
    return Problem("error", rule, zh, en, file=path.name, value=str(path))
