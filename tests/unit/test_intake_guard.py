"""Intake guards: every refusal on raw bytes made here, and the drop-folder path checks."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govbrief.intake.guard import (
    MIB,
    Inspection,
    IntakeLimits,
    check_path,
    inspect_content,
    oversized,
    sniff_format,
)
from govbrief.problems import Problem

# ----- content made by the tests ------------------------------------------------

CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
HTML_TABLE = "<html><head><meta charset='utf-8'></head><body><table><tr><td>县市区</td></tr></table></body></html>"
SPREADSHEET_2003_XML = (
    b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table/></Worksheet></Workbook>'
)
CSV_TEXT = "县市区,行业领域,检查单位数（家次）\n东湖县,道路交通,10\n"


def xlsx_bytes() -> bytes:
    """A real workbook, as Excel or WPS would send it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "隐患排查"
    sheet.append(["县市区", "行业领域", "检查单位数（家次）"])
    sheet.append(["东湖县", "道路交通", 10])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zeros_member_workbook(size: int) -> bytes:
    """An xlsx-shaped zip whose sheet is `size` bytes of zeros, streamed through deflate in 1 MiB
    chunks: real declared sizes (not forged ones), while memory stays at one chunk plus the output."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(MIB)
            for start in range(0, size, MIB):
                member.write(chunk[: min(MIB, size - start)])
    return out.getvalue()


def with_encrypted_flag(archive: bytes) -> bytes:
    """Set the 'encrypted' flag of every member in the central directory (zipfile cannot write encryption)."""
    data = bytearray(archive)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 1)
    return bytes(data)


# A minimal Compound File Binary (OLE2, version 3): header, one FAT sector, one directory
# sector, then each stream padded to 4 KiB so it lives in regular sectors (the spec puts
# smaller streams in the mini stream). calamine opens one with a Workbook stream by path.
SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOF = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
INTERFACE_HEADER = struct.pack("<HHH", 0x00E1, 2, 0x04B0)
END_OF_FILE = struct.pack("<HH", 0x000A, 0)
FILEPASS_RC4 = struct.pack("<HH", 0x002F, 54) + struct.pack("<H", 1) + bytes(52)


def directory_entry(
    name: str, kind: int, *, right: int = NO_STREAM, child: int = NO_STREAM, start: int = 0, size: int = 0
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NO_STREAM, right, child, b"", 0, 0, 0, start, size
    )


def cfb_bytes(streams: dict[str, bytes]) -> bytes:
    """An OLE2 file with these streams (at most three) under the root storage."""
    fat, body = [FAT_SECTOR, END_OF_CHAIN], b""
    entries = [directory_entry("Root Entry", 5, child=1, start=END_OF_CHAIN)]
    for index, (name, payload) in enumerate(streams.items()):
        padded = payload.ljust(4096, b"\0")
        count, first = -(-len(padded) // SECTOR), len(fat)
        fat += [*range(first + 1, first + count), END_OF_CHAIN]
        right = index + 2 if index + 1 < len(streams) else NO_STREAM
        entries.append(directory_entry(name, 2, right=right, start=first, size=len(padded)))
        body += padded.ljust(count * SECTOR, b"\0")
    entries += [directory_entry("", 0)] * (SECTOR // 128 - len(entries))
    header = struct.pack(
        "<8s16s5H6s9I", OLE2_MAGIC, b"", 0x3E, 3, 0xFFFE, 9, 6, b"", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0
    ) + struct.pack("<109I", 0, *[FREE] * 108)
    fat_sector = struct.pack("<128I", *fat, *[FREE] * (128 - len(fat)))
    return header + fat_sector + b"".join(entries) + body


def legacy_xls(records: bytes = INTERFACE_HEADER) -> bytes:
    """A .xls whose workbook globals hold BOF, these records, EOF (calamine reads one with FILEPASS
    as "Workbook is password protected")."""
    return cfb_bytes({"Workbook": BOF + records + END_OF_FILE})


def rules(inspection: Inspection) -> list[tuple[str, str]]:
    return [(p.severity, p.rule) for p in inspection.problems]


def assert_file_level(problem: Problem, name: str) -> None:
    """A file-level problem names the file and no sheet, row or column, in both languages."""
    assert (problem.file, problem.sheet, problem.row, problem.column) == (name, "", None, "")
    assert problem.message_zh and problem.message_en


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return xlsx_bytes()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zeros_member_workbook(300 * MIB)


# ----- what the content is ---------------------------------------------------------


def test_real_workbook_is_xlsx_and_other_zips_are_not(workbook: bytes) -> None:
    assert sniff_format(workbook) == "xlsx"
    assert sniff_format(zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": CONTENT_TYPES})) == "zip"
    assert sniff_format(zip_bytes({"xl/workbook.xml": b"<x/>"})) == "zip"  # no content types: not OOXML


def test_legacy_and_encrypted_compound_files_are_told_apart() -> None:
    assert sniff_format(legacy_xls()) == "xls"
    encrypted = cfb_bytes({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x10" * 64})
    assert sniff_format(encrypted) == "encrypted_ooxml"
    assert sniff_format(cfb_bytes({"WordDocument": b"\xec\xa5"})) == "unknown"


def test_the_name_encryptedpackage_inside_cell_text_does_not_make_a_workbook_encrypted() -> None:
    cell_text = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    assert sniff_format(legacy_xls(INTERFACE_HEADER + cell_text)) == "xls"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (HTML_TABLE.encode(), "html"),
        (b"\xef\xbb\xbf  \n<!DOCTYPE html><html><table></table></html>", "html"),
        (("\ufeff" + HTML_TABLE).encode("utf-16-le"), "html"),
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "unknown"),
        (CSV_TEXT.encode("utf-8"), "csv"),
        (CSV_TEXT.encode("gb18030"), "csv"),
        (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), "csv"),
        ((CSV_TEXT * 20 + "东").encode("utf-8")[:-1], "csv"),  # cut mid-character: the reader names the encoding
        (bytes(range(256)) * 8, "unknown"),
        ("县市区\x00东湖县".encode(), "unknown"),
    ],
    ids=[
        "pdf",
        "html",
        "html-bom-doctype",
        "html-utf16",
        "other-xml",
        "csv-utf8",
        "csv-gb18030",
        "csv-bom",
        "csv-cut",
        "binary",
        "nul-in-text",
    ],
)
def test_sniff_by_content(content: bytes, expected: str) -> None:
    assert sniff_format(content) == expected


# ----- accepted files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("东湖县.xlsx", xlsx_bytes(), "xlsx"),
        ("东湖县.XLSM", xlsx_bytes(), "xlsx"),
        ("东湖县.xls", legacy_xls(), "xls"),
        ("东湖县.csv", CSV_TEXT.encode("gb18030"), "csv"),
        ("东湖县.html", HTML_TABLE.encode(), "html"),
        ("东湖县.htm", HTML_TABLE.encode(), "html"),
    ],
)
def test_a_spreadsheet_named_for_its_format_passes_without_problems(name: str, content: bytes, expected: str) -> None:
    assert inspect_content(name, content) == Inspection(expected, [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("东湖县.xls", HTML_TABLE.encode(), "html"),  # the common web export
        ("东湖县.xls", xlsx_bytes(), "xlsx"),
        ("东湖县.xlsx", legacy_xls(), "xls"),
        ("东湖县.xlsx", CSV_TEXT.encode(), "csv"),
        ("东湖县.txt", CSV_TEXT.encode(), "csv"),
    ],
)
def test_a_spreadsheet_under_another_extension_is_read_by_content_with_a_warning(
    name: str, content: bytes, expected: str
) -> None:
    inspection = inspect_content(name, content)
    assert inspection.file_format == expected
    assert rules(inspection) == [("warning", "extension_mismatch")]
    warning = inspection.problems[0]
    assert_file_level(warning, name)
    assert Path(name).suffix in warning.message_zh and Path(name).suffix in warning.message_en


# ----- refusals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"", b"  \r\n\t ", b"\xef\xbb\xbf\r\n", bytes(4096)], ids=["0", "blank", "bom", "nul"]
)
def test_empty_file(content: bytes) -> None:
    inspection = inspect_content("东湖县.xlsx", content)
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "empty_file")]
    assert_file_level(inspection.problems[0], "东湖县.xlsx")


def test_oversized_file_names_the_limit_in_mb() -> None:
    inspection = inspect_content("东湖县.csv", CSV_TEXT.encode() * 30_000, IntakeLimits(max_bytes=1 * MIB))
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "oversized_file")]
    problem = inspection.problems[0]
    assert_file_level(problem, "东湖县.csv")
    assert "1 MB" in problem.message_zh and "1 MB" in problem.message_en


def test_oversized_can_be_told_from_the_size_alone_with_the_default_20_mb_limit() -> None:
    assert oversized("东湖县.xlsx", 20 * MIB) is None
    problem = oversized("东湖县.xlsx", 20 * MIB + 1)
    assert problem is not None and problem.rule == "oversized_file" and "20 MB" in problem.message_zh


def test_a_workbook_that_would_unzip_to_300_mb_is_a_zip_bomb(bomb: bytes) -> None:
    assert len(bomb) < 2 * MIB  # small on disk: the limit on size alone would let it through
    inspection = inspect_content("东湖县.xlsx", bomb)
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "zip_bomb")]
    assert_file_level(inspection.problems[0], "东湖县.xlsx")
    assert "300 MB" in inspection.problems[0].message_zh


def test_one_member_compressed_far_beyond_any_real_sheet_is_a_zip_bomb() -> None:
    inspection = inspect_content("东湖县.xlsx", zeros_member_workbook(5 * MIB))
    assert rules(inspection) == [("error", "zip_bomb")]
    assert "sheet1.xml" in inspection.problems[0].message_en


def test_a_small_member_compressing_well_is_not_a_bomb() -> None:
    assert inspect_content("东湖县.xlsx", zeros_member_workbook(200 * 1024)) == Inspection("xlsx", [])


def test_too_many_members_is_a_zip_bomb(workbook: bytes) -> None:
    members = len(zipfile.ZipFile(io.BytesIO(workbook)).infolist())
    assert rules(inspect_content("东湖县.xlsx", workbook, IntakeLimits(max_zip_members=members))) == []
    refused = inspect_content("东湖县.xlsx", workbook, IntakeLimits(max_zip_members=members - 1))
    assert rules(refused) == [("error", "zip_bomb")]


def test_password_protected_xlsx_is_refused() -> None:
    encrypted = cfb_bytes({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x10" * 64})
    inspection = inspect_content("东湖县.xlsx", encrypted)
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "password_protected")]
    assert_file_level(inspection.problems[0], "东湖县.xlsx")


def test_password_protected_legacy_xls_is_refused() -> None:
    assert rules(inspect_content("东湖县.xls", legacy_xls(FILEPASS_RC4))) == [("error", "password_protected")]


def test_a_zip_member_flagged_encrypted_is_password_protected(workbook: bytes) -> None:
    inspection = inspect_content("东湖县.xlsx", with_encrypted_flag(workbook))
    assert rules(inspection) == [("error", "password_protected")]


def test_a_truncated_workbook_is_corrupt(workbook: bytes) -> None:
    inspection = inspect_content("东湖县.xlsx", workbook[: len(workbook) // 2])
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "corrupt_file")]
    assert_file_level(inspection.problems[0], "东湖县.xlsx")


@pytest.mark.parametrize(
    ("name", "content", "what_zh", "what_en"),
    [
        ("东湖县.xlsx", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "PDF", "PDF"),
        ("东湖县.xlsx", zip_bytes({"东湖县.xlsx": b"..."}), "ZIP", "ZIP"),
        ("东湖县.xls", cfb_bytes({"WordDocument": b"\xec\xa5"}), "Word", "Word"),
        (
            "东湖县.xlsx",
            zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.bin": b"\x83\x01"}),
            ".xlsb",
            ".xlsb",
        ),
        ("东湖县.csv", bytes(range(256)) * 8, "无法识别", "unrecognised"),
        ("东湖县.xls", SPREADSHEET_2003_XML, "Excel 2003 XML", "Excel 2003 XML"),
        ("东湖县", b"%PDF-1.4\n", "PDF", "PDF"),
    ],
    ids=[
        "pdf-as-xlsx",
        "zip-as-xlsx",
        "word-as-xls",
        "xlsb-as-xlsx",
        "binary-as-csv",
        "spreadsheetml-as-xls",
        "no-extension",
    ],
)
def test_content_that_is_not_a_spreadsheet_is_refused_whatever_its_name(
    name: str, content: bytes, what_zh: str, what_en: str
) -> None:
    inspection = inspect_content(name, content)
    assert inspection.file_format is None
    assert rules(inspection) == [("error", "content_mismatch")]
    problem = inspection.problems[0]
    assert_file_level(problem, name)
    extension = Path(name).suffix or "无扩展名"
    assert extension in problem.message_zh and what_zh in problem.message_zh
    assert what_en in problem.message_en


def test_every_archive_problem_is_reported_in_one_pass(bomb: bytes) -> None:
    inspection = inspect_content("东湖县.xlsx", with_encrypted_flag(bomb))
    assert rules(inspection) == [("error", "password_protected"), ("error", "zip_bomb")]


def damaged(original: bytes, data: st.DataObject) -> bytes:
    cut = data.draw(st.integers(0, len(original)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=8))
    content = bytearray(original)
    for at, byte in flips:
        content[at] = byte
    return bytes(content[:cut] if data.draw(st.booleans()) else content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_files_get_a_verdict_never_an_exception(workbook: bytes, data: st.DataObject) -> None:
    original = data.draw(st.sampled_from([workbook, legacy_xls(FILEPASS_RC4), HTML_TABLE.encode()]))
    inspection = inspect_content("东湖县.xlsx", damaged(original, data))
    assert (inspection.file_format is None) == any(p.severity == "error" for p in inspection.problems)


# ----- the drop folder -----------------------------------------------------------------


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    root = tmp_path / "drop"
    (root / "2026-11-x2").mkdir(parents=True)
    return root


def test_a_regular_file_inside_the_drop_may_be_read(drop: Path) -> None:
    path = drop / "2026-11-x2" / "东湖县.xlsx"
    path.write_bytes(b"x")
    assert check_path(path, drop) is None


def test_a_symlink_is_refused_and_never_followed(drop: Path) -> None:
    link = drop / "2026-11-x2" / "东湖县.xlsx"
    link.symlink_to("/etc/hostname")
    problem = check_path(link, drop)
    assert problem is not None
    assert (problem.severity, problem.rule) == ("error", "symlink_refused")
    assert_file_level(problem, "东湖县.xlsx")


def test_a_symlink_to_a_file_inside_the_drop_is_refused_too(drop: Path) -> None:
    target = drop / "2026-11-x2" / "西山县.xlsx"
    target.write_bytes(b"x")
    link = drop / "2026-11-x2" / "东湖县.xlsx"
    link.symlink_to(target)
    problem = check_path(link, drop)
    assert problem is not None and problem.rule == "symlink_refused"


def test_a_name_with_dotdot_escaping_the_drop_is_refused(drop: Path) -> None:
    outside = drop.parent / "secret.xlsx"
    outside.write_bytes(b"x")
    problem = check_path(drop / "2026-11-x2" / ".." / ".." / "secret.xlsx", drop)
    assert problem is not None
    assert (problem.severity, problem.rule) == ("error", "outside_drop")
    assert_file_level(problem, "secret.xlsx")


def test_a_file_under_a_linked_folder_lies_outside_the_drop(drop: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "东湖县.xlsx").write_bytes(b"x")
    (drop / "linked").symlink_to(elsewhere, target_is_directory=True)
    problem = check_path(drop / "linked" / "东湖县.xlsx", drop)
    assert problem is not None and problem.rule == "outside_drop"


def test_fifos_folders_and_vanished_entries_are_not_files(drop: Path) -> None:
    fifo = drop / "2026-11-x2" / "东湖县.xlsx"
    os.mkfifo(fifo)
    entries = [fifo, drop / "2026-11-x2", drop / "2026-11-x2" / "gone.xlsx"]
    found = [check_path(entry, drop) for entry in entries]
    assert [(p.severity, p.rule) if p else None for p in found] == [("error", "not_a_file")] * 3
