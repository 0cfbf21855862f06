"""`civgrid backup` / `civgrid restore`: the database and the uploaded files in one archive.

The archive is a tar file holding
- `manifest.json`: format, engine, when, the row count of every table and the name, size and
  SHA-256 of every media file, all taken from the same moment as the dump;
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: the
  online backup API, a consistent copy while the server keeps writing);
- `media/<name>`: every file of the default storage (local disk or object storage).

PostgreSQL: the counts are read in a REPEATABLE READ transaction whose snapshot pg_dump is
given (`--snapshot`), so the manifest describes exactly what was dumped even while civgrid is
serving. Media files are copied after the dump: a row's file is written before its row, so every
file a dumped row names exists by then (later files are extra, which is harmless).

Restore goes into an **empty** database (it refuses one that has tables), puts the media back
into the default storage, then counts every table again and checks every file: `restore`
returns the differences, and the command fails when there is any. That is the drill.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media/"


class BackupError(RuntimeError):
    pass


@dataclass
class Report:
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    differences: list[str] = field(default_factory=list)


# --- the database --------------------------------------------------------------------------


def _engine(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"backup knows PostgreSQL and SQLite, not {engine}")


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{argv[0]} failed ({result.returncode}): {result.stderr.strip()[:2000]}")


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump_postgresql(alias: str, target: Path) -> dict[str, int]:
    """pg_dump of the database behind `alias` and the row counts of the same snapshot."""
    import psycopg

    settings_dict = connections[alias].settings_dict
    env = _pg_env(settings_dict)
    with psycopg.connect(**_psycopg_kwargs(settings_dict)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]  # type: ignore[index]
            counts = _counts(cursor, _pg_tables(cursor), _quote)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env,
            )
    return counts


def _psycopg_kwargs(settings_dict: dict[str, Any]) -> dict[str, Any]:
    kwargs = {"dbname": settings_dict["NAME"]}
    for key, arg in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if settings_dict.get(key):
            kwargs[arg] = settings_dict[key]
    return kwargs


def dump_sqlite(alias: str, target: Path) -> dict[str, int]:
    """A consistent copy through SQLite's online backup API, and its row counts."""
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = destination.cursor()
        return _counts(cursor, _sqlite_tables(cursor), _quote)
    finally:
        destination.close()


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # The tests' in-memory database is a URI (file:memorydb_default?mode=memory&cache=shared).
    return sqlite3.connect(name, uri=name.startswith("file:"))


def table_counts(settings_dict: dict[str, Any]) -> dict[str, int]:
    """The row count of every table of a database, read with a connection of its own."""
    if _engine(settings_dict) == "postgresql":
        import psycopg

        with psycopg.connect(**_psycopg_kwargs(settings_dict)) as conn, conn.cursor() as cursor:
            return _counts(cursor, _pg_tables(cursor), _quote)
    lite = _sqlite_connect(str(settings_dict["NAME"]))
    try:
        lite_cursor = lite.cursor()
        return _counts(lite_cursor, _sqlite_tables(lite_cursor), _quote)
    finally:
        lite.close()


# --- the media -----------------------------------------------------------------------------


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name of a storage (local disk or a bucket), sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a fresh MEDIA_ROOT that was never created
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from walk(storage, prefix + sub)


# --- backup and restore --------------------------------------------------------------------


def backup(archive: Path, *, alias: str = "default", storage: Storage | None = None) -> Report:
    """Write the archive (atomically: a temporary file renamed at the end)."""
    storage = storage or default_storage
    settings_dict = connections[alias].settings_dict
    engine = _engine(settings_dict)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="civgrid-backup-") as work:
        dump = Path(work) / (PG_DUMP if engine == "postgresql" else SQLITE_DUMP)
        counts = (dump_postgresql if engine == "postgresql" else dump_sqlite)(alias, dump)
        partial = archive.with_name(archive.name + ".partial")
        media: list[dict[str, Any]] = []
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=dump.name)
            for name in walk(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(MEDIA + name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                media.append(
                    {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                )
            manifest = {
                "format": FORMAT,
                "engine": engine,
                "created_at": timezone.now().isoformat(),
                "tables": counts,
                "media": media,
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        os.replace(partial, archive)
    return Report(counts, len(media), sum(item["size"] for item in media))


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    handle = tar.extractfile(MANIFEST)
    if handle is None:
        raise BackupError("not a civgrid backup: no manifest.json")
    manifest = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _refuse_non_empty(settings_dict: dict[str, Any], engine: str) -> None:
    if engine == "sqlite":
        name = str(settings_dict["NAME"])
        in_memory = name.startswith("file:") or name == ":memory:"
        if (in_memory or Path(name).exists()) and table_counts(settings_dict):
            raise BackupError(f"{name} already has tables: restore needs an empty database")
        if in_memory:
            raise BackupError("restore needs a database file, not an in-memory database")
        return
    tables = table_counts(settings_dict)
    if tables:
        raise BackupError(
            f"database {settings_dict['NAME']} already has {len(tables)} tables: restore needs an "
            "empty database (create a new one, or drop and create it)"
        )


def restore(
    archive: Path,
    *,
    settings_dict: dict[str, Any],
    storage: Storage | None = None,
) -> Report:
    """Restore the archive into the empty database `settings_dict` names and into `storage`,
    then compare every table's count and every file with the manifest."""
    storage = storage or default_storage
    engine = _engine(settings_dict)
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        if manifest["engine"] != engine:
            raise BackupError(
                f"the backup is of {manifest['engine']}, the target database is {engine}"
            )
        _refuse_non_empty(settings_dict, engine)
        with tempfile.TemporaryDirectory(prefix="civgrid-restore-") as work:
            name = PG_DUMP if engine == "postgresql" else SQLITE_DUMP
            tar.extract(name, work, filter="data")
            dump = Path(work) / name
            if engine == "postgresql":
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        f"--dbname={settings_dict['NAME']}",
                        str(dump),
                    ],
                    _pg_env(settings_dict),
                )
            else:
                target = Path(settings_dict["NAME"])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(dump, target)
        for item in manifest["media"]:
            member = tar.extractfile(MEDIA + item["name"])
            if member is None:
                raise BackupError(f"the archive lacks media file {item['name']}")
            data = member.read()
            if storage.exists(item["name"]):
                continue  # put back by an earlier, interrupted restore (checked below)
            saved = storage.save(item["name"], ContentFile(data))
            if saved != item["name"]:
                raise BackupError(f"the storage renamed {item['name']} to {saved}")
    return verify(manifest, settings_dict=settings_dict, storage=storage)


def verify(manifest: dict[str, Any], *, settings_dict: dict[str, Any], storage: Storage) -> Report:
    counts = table_counts(settings_dict)
    differences = [
        f"table {table}: {manifest['tables'].get(table, 'absent')} in the backup, "
        f"{counts.get(table, 'absent')} restored"
        for table in sorted(set(counts) | set(manifest["tables"]))
        if counts.get(table) != manifest["tables"].get(table)
    ]
    for item in manifest["media"]:
        try:
            with storage.open(item["name"], "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except FileNotFoundError:
            differences.append(f"media {item['name']}: missing")
            continue
        if digest != item["sha256"]:
            differences.append(f"media {item['name']}: content differs")
    return Report(
        counts,
        len(manifest["media"]),
        sum(item["size"] for item in manifest["media"]),
        differences,
    )


def default_archive_name(now: dt.datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"civgrid-{moment:%Y%m%d-%H%M%S}.tar"
