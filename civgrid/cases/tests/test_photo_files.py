"""Photo files exist only for committed rows: a rolled-back action leaves at most a file no row
names, under a random name, and `civgrid sweep-media` removes it while keeping named files."""

import datetime as dt
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from civgrid.cases.models import Case, CasePhoto
from civgrid.testing import photo_upload, report


class Abort(Exception):
    pass


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def age(root: Path, hours: float) -> None:
    """Make every file under root look written `hours` ago."""
    then = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    for path in root.rglob("*"):
        os.utime(path, (then, then))


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep-media", *args, stdout=out)
    return out.getvalue()


def test_files_of_committed_rows_are_all_there_under_random_names(world, media):
    case = report(world, photos=[photo_upload("a.png"), photo_upload("b.png")])
    names = [p.image.name for p in case.photos.all()]
    assert files_under(media) == set(names)
    # a random name, not the event id a rolled-back transaction could hand to another case
    assert all(re.fullmatch(r"report-[0-9a-f]{32}\.png", Path(n).name) for n in names)
    assert len({Path(n).name for n in names}) == 2


def test_a_rolled_back_report_leaves_no_row_and_the_sweeper_removes_only_its_file(world, media):
    kept = report(world, photos=[photo_upload("kept.png")])
    with pytest.raises(Abort), transaction.atomic():
        report(world, description="回滚的上报", photos=[photo_upload("lost.png")])
        raise Abort
    assert Case.objects.count() == 1 and CasePhoto.objects.count() == 1
    named = kept.photos.get().image.name
    orphans = files_under(media) - {named}
    assert len(orphans) == 1  # written before the row, left by the rollback

    age(media, hours=2)
    out = sweep()
    assert f"removed {orphans.pop()}" in out
    assert files_under(media) == {named}


def test_a_dry_run_lists_orphans_and_removes_nothing(world, media):
    with pytest.raises(Abort), transaction.atomic():
        report(world, photos=[photo_upload()])
        raise Abort
    age(media, hours=2)
    before = files_under(media)
    assert "1 file(s) no row names: would remove." in sweep("--dry-run")
    assert files_under(media) == before


def test_a_recent_orphan_is_kept_because_its_transaction_may_still_be_open(world, media):
    with pytest.raises(Abort), transaction.atomic():
        report(world, photos=[photo_upload()])
        raise Abort
    assert "0 file(s)" in sweep()
    assert len(files_under(media)) == 1


def test_the_scheduler_sweeps_daily_what_the_command_would(world, media):
    from civgrid.cases.schedule import sweep_orphan_files
    from civgrid.scheduling import registry

    assert registry.get("cases.sweep_media").func == "civgrid.cases.schedule.sweep_orphan_files"
    kept = report(world, photos=[photo_upload("kept.png")])
    with pytest.raises(Abort), transaction.atomic():
        report(world, photos=[photo_upload("lost.png")])
        raise Abort
    age(media, hours=2)
    assert sweep_orphan_files(timezone.now()) == "1 orphan file(s) removed"
    assert files_under(media) == {kept.photos.get().image.name}
