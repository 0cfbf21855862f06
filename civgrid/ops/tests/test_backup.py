"""The backup drill: back up the demo, restore into an empty database, every count equal."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from civgrid import testing
from civgrid.cases.models import SOURCES_BY_ROLE, Case, CasePhoto, Category
from civgrid.cases.reporting import report_case
from civgrid.demo.actions import CORE_PARTS, build_demo
from civgrid.ops import backup
from civgrid.org.models import Person, Role

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings of a new, empty database of the same engine as the tests' one."""
    target = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        target["NAME"] = str(tmp_path / "restored.sqlite3")
        yield target
        return
    import psycopg

    target["NAME"] = connection.settings_dict["NAME"] + "_restore"
    admin = {k: v for k, v in backup._psycopg_kwargs(target).items() if k != "dbname"}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target["NAME"]}"')
    yield target
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo district with a few cases, and two photos reported by one of its grid workers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    summary = build_demo(seed=2026, n_cases=40, today=TODAY, parts=CORE_PARTS)
    worker = Person.objects.filter(role=Role.GRID_WORKER, regions__isnull=False).first()
    assert worker is not None and worker.user is not None
    report_case(
        actor=worker.user,
        source=SOURCES_BY_ROLE[Role.GRID_WORKER][0],
        category=Category.objects.first(),
        description="备份演练：楼道堆放杂物",
        grid=worker.regions.first(),
        photos=[testing.photo_upload(), testing.photo_upload("b.png", testing.png_bytes("blue"))],
    )
    return summary


def test_the_demo_backed_up_and_restored_into_an_empty_database_has_every_count_equal(
    demo, empty_database, tmp_path
):
    archive = tmp_path / "backups" / "demo.tar"
    made = backup.backup(archive)
    live = backup.table_counts(connection.settings_dict)
    assert made.tables == live  # the manifest describes what was dumped
    assert made.tables["cases_case"] == Case.objects.count() > 0
    assert made.media_files == CasePhoto.objects.count() > 0

    restored_media = FileSystemStorage(location=tmp_path / "restored-media")
    report = backup.restore(archive, settings_dict=empty_database, storage=restored_media)

    assert report.differences == []
    assert report.tables == live
    assert len(report.tables) > 50  # every app's tables, not a few
    photo = CasePhoto.objects.first()
    assert photo is not None and restored_media.exists(photo.image.name)


def test_restore_refuses_a_database_that_already_has_tables(demo, tmp_path):
    archive = tmp_path / "demo.tar"
    backup.backup(archive)
    with pytest.raises(backup.BackupError, match="empty database"):
        backup.restore(
            archive,
            settings_dict=connection.settings_dict,
            storage=FileSystemStorage(location=tmp_path / "other"),
        )
    assert Case.objects.count() > 0  # nothing was touched


def test_verify_names_a_table_whose_count_differs_and_a_missing_file(db, tmp_path, settings):
    storage = FileSystemStorage(location=tmp_path / "media")
    manifest = {
        "tables": {**backup.table_counts(connection.settings_dict), "cases_case": 7},
        "media": [{"name": "cases/x.jpg", "size": 3, "sha256": "0" * 64}],
    }
    differences = backup.verify(manifest, settings_dict=connection.settings_dict, storage=storage)
    assert differences.differences == [
        "table cases_case: 7 in the backup, 0 restored",
        "media cases/x.jpg: missing",
    ]


def test_the_backup_command_writes_an_archive_and_restore_refuses_a_full_database(
    transactional_db, tmp_path, settings, capsys
):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "one.tar"
    call_command("backup", str(archive))
    assert "civgrid backup:" in capsys.readouterr().out
    assert archive.is_file() and not archive.with_name("one.tar.partial").exists()
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(archive))
