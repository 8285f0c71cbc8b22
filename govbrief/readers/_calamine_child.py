"""The child process that opens workbooks with calamine, under a memory limit.

Run as a script (not as part of the package) so it starts in milliseconds.
A damaged or hostile workbook can make calamine ask for gigabytes (a 5 KB
.xlsx with one cell at XFD1048576 asks for 512 GB) and abort: that must kill
this child, never the flow. Protocol on stdin/stdout: 8-byte length + pickle.
"""

import io
import pickle
import resource
import struct
import sys
from typing import IO, Any


def _limit_memory() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _read(stream: IO[bytes]) -> Any:
    header = stream.read(8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack(">Q", header)
    return pickle.loads(stream.read(size))


def _write(stream: IO[bytes], payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _sheets(data: bytes) -> tuple[str, Any]:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            rows = [(n, book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in book.sheet_names]
        finally:
            book.close()
    except PasswordError:
        return ("password", "")
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("ok", rows)


def main() -> None:
    _limit_memory()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (request := _read(stdin)) is not None:
        _write(stdout, _sheets(request))


if __name__ == "__main__":
    main()
