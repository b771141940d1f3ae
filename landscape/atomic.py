"""Atomic file writes: the new content goes to a temporary file beside the target, is flushed to disk,
then replaces the target in one rename, so a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace (or create) the file at path with data; on any failure the old file is untouched and no
    temporary file is left behind."""
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates the file 0600; keep the mode the target had (or the umask default for a new file).
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(target.parent)


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace (or create) a text file atomically."""
    write_bytes_atomic(path, text.encode(encoding))


def csv_text(fieldnames: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """Return rows as CSV text in the package's dialect (header, minimal quoting, LF line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fieldnames), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv_rows_atomic(
    path: str | os.PathLike[str], fieldnames: Sequence[str], rows: Iterable[Mapping[str, str]]
) -> None:
    """Replace (or create) a CSV file atomically with a header and the given rows."""
    write_text_atomic(path, csv_text(fieldnames, rows))


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    # The rename itself is durable only once the directory entry is flushed (POSIX; a no-op elsewhere).
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
