"""Records from a user's data file, whatever its format: JSONL, JSON (a list, or an object of records),
CSV or parquet (through DuckDB). The one reader of user files: benchmark loaders (--data), the replay
backend (--replay), `evals verify`, `evals signals`, `curation ingest` and `curation samples`.

    for number, record in read_records("data.jsonl"):        # stops at the first bad line (DataError)
        ...
    for number, record in scan_records("data.jsonl"):        # a bad line is a BadLine, the rest goes on
        if isinstance(record, BadLine): print(record)       # "data.jsonl:7: not valid UTF-8 (...); ..."

Bytes are decoded line by line, so one non-UTF-8 byte costs its line, never the file. A UTF-8 byte
order mark, CRLF line ends and blank lines are accepted; a UTF-16 file, a line that is not JSON and a
JSON value that is not an object are bad lines naming the file, the line and the fix.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import DataError

__all__ = ["BadLine", "open_input", "read_records", "read_text", "scan_lines", "scan_records"]

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_FIX_ENCODING = "re-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`) or drop the line"


@dataclass(frozen=True)
class BadLine:
    """A line (or record) that cannot be used; ``str()`` is the message a user sees."""

    source: str
    number: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.number}: {self.message}"


def _decode(raw: bytes, source: str, number: int) -> str | BadLine:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadLine(source, number, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} "
                                       f"of the line); {_FIX_ENCODING}")


def _parse(text: str, source: str, number: int) -> dict[str, Any] | BadLine:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return BadLine(source, number, f"not valid JSON ({exc.msg} at column {exc.colno}); fix or drop the line")
    except RecursionError:
        return BadLine(source, number, "JSON nested too deeply to read; fix or drop the line")
    if not isinstance(value, dict):
        return BadLine(source, number, f"a JSON {type(value).__name__}, not an object; each line must be one "
                                       "JSON object ({\"field\": value, ...})")
    return value


def scan_lines(stream: IO[bytes] | Iterable[bytes], source: str) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    """(line number, object or BadLine) for every non-blank line of a binary JSONL stream."""
    for number, raw in enumerate(stream, 1):
        if number == 1:
            if raw.startswith(_UTF16_BOMS):
                raise DataError(f"{source}: the file is UTF-16; convert it to UTF-8 "
                                "(e.g. `iconv -f utf-16 -t utf-8`)")
            raw = raw.removeprefix(_BOM)
        text = _decode(raw, source, number)
        if isinstance(text, BadLine):
            yield number, text
        elif text.strip():
            yield number, _parse(text, source, number)


def open_input(path: str) -> tuple[IO[bytes], str]:
    """A JSONL input for scan_lines ('-' is stdin) and its name for messages; DataError when unreadable."""
    if path == "-":
        return sys.stdin.buffer, "<stdin>"
    try:
        return open(path, "rb"), path  # bytes: each line is decoded alone, so a bad byte costs one line
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror}); check the path") from exc


def scan_records(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    """(record number, object or BadLine) for every record of the file, by its suffix. A file that
    cannot be read at all (no such file, a broken JSON document or parquet file) raises DataError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"{path}: no such file" + (" (it is a directory)" if path.is_dir() else "")
                        + "; check the path")
    if suffix in (".parquet", ".csv"):
        yield from _duckdb_records(path, suffix)
    elif suffix == ".json":
        data = _parse_document(path)
        items = data.values() if isinstance(data, dict) else data
        for number, row in enumerate(items, 1):
            yield number, row if isinstance(row, dict) else BadLine(
                str(path), number, f"record {number} is a JSON {type(row).__name__}, not an object")
    else:  # JSONL
        with path.open("rb") as handle:
            yield from scan_lines(handle, str(path))


def read_records(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(record number, record) for every record; the first bad one raises DataError naming file and line."""
    for number, record in scan_records(path):
        if isinstance(record, BadLine):
            raise DataError(str(record))
        yield number, record


def read_text(path: str | Path, what: str = "file") -> str:
    """A whole text file as UTF-8 (a byte order mark dropped); bad bytes are a DataError naming the
    file, line and column, never a bare UnicodeDecodeError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the {what} ({exc.strerror}); check the path") from exc
    if raw.startswith(_UTF16_BOMS):
        raise DataError(f"{path}: the {what} is UTF-16; convert it to UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)")
    try:
        return raw.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); "
                        "re-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)") from None


def _parse_document(path: Path) -> Any:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file") from exc
    if not isinstance(data, (dict, list)):
        raise DataError(f"{path}: a JSON {type(data).__name__}; expected a list of records or an object of them")
    return data


def _duckdb_records(path: Path, suffix: str) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    import duckdb

    reader = "read_parquet" if suffix == ".parquet" else "read_csv_auto"
    try:
        cursor = duckdb.execute(f"SELECT * FROM {reader}(?)", [str(path)])
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except duckdb.Error as exc:
        hint = " (is it UTF-8? re-encode it with `iconv -t utf-8`)" if "unicode" in str(exc).lower() else ""
        raise DataError(f"{path}: cannot read as {suffix[1:]}{hint}: {exc}; check the file, or its suffix") from exc
    for number, row in enumerate(rows, 1):
        yield number, dict(zip(names, row))
