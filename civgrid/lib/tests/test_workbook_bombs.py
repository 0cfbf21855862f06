"""Spreadsheet bombs are refused before openpyxl builds what they unpack to, and reading a
sheet is bounded however many blank rows or columns it declares."""

import io
import zipfile

import pytest

from civgrid.lib.importing import (
    BLANK_ROWS_ALLOWED,
    UnreadableWorkbook,
    open_workbook,
    read_table,
)
from civgrid.lib.tests.bombs import blank_rows, huge_shared_string
from civgrid.visits.imports import COLUMNS, REQUIRED
from civgrid.visits.models import Household


def read(data: bytes, max_rows: int = 100):
    problems = []
    ws = open_workbook(data).worksheets[0]
    rows = read_table(ws, COLUMNS, REQUIRED, lambda *p: problems.append(p), max_rows=max_rows)
    return rows, problems


def test_a_workbook_unpacking_past_the_cap_is_refused_before_parsing():
    bomb = huge_shared_string(60 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    with pytest.raises(UnreadableWorkbook, match="unpacks to more than 50 MB"):
        open_workbook(bomb)


def test_an_entry_compressed_beyond_the_ratio_is_refused():
    with pytest.raises(UnreadableWorkbook, match="unpacks to more than 50 MB"):
        open_workbook(huge_shared_string(20 * 1024 * 1024))  # under the total, 1000:1


def test_a_shared_string_longer_than_a_cell_may_hold_is_refused():
    with pytest.raises(UnreadableWorkbook, match="more than 32767 characters"):
        open_workbook(huge_shared_string(100_000))


def test_an_archive_of_too_many_entries_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(1001):
            z.writestr(f"x/{i}.xml", b"")
    with pytest.raises(UnreadableWorkbook, match="unpacks to more than"):
        open_workbook(out.getvalue())


def test_what_is_not_a_zip_is_not_a_workbook():
    with pytest.raises(UnreadableWorkbook, match="not an Excel workbook"):
        open_workbook(b"PK but not really")


def test_an_ordinary_shared_string_is_read():
    rows, problems = read(huge_shared_string(200))
    assert problems == [] and rows[0][1]["address"] == "A" * 200


def test_blank_rows_count_toward_the_limit_and_stop_the_reading():
    rows, problems = read(blank_rows(100_000), max_rows=100)
    assert rows == []  # the household below the blank rows is never reached
    (row, _field, message, severity) = problems[0]
    assert severity == "error" and row == 1 + 100 + BLANK_ROWS_ALLOWED + 1
    assert "blank rows included" in message


def test_a_few_blank_rows_before_the_data_are_skipped():
    rows, problems = read(blank_rows(50), max_rows=100)
    assert problems == [] and [(n, r["code"]) for n, r in rows] == [(52, "H9")]


def test_a_blank_row_bomb_imports_nothing(world):
    from civgrid.visits.actions import import_households

    result = import_households(blank_rows(100_000), actor=None)
    assert not result.ok and "blank rows included" in result.errors[0].message
    assert not Household.objects.exists()


def test_a_shared_string_bomb_imports_nothing_and_says_why(world):
    from civgrid.visits.actions import import_households

    result = import_households(huge_shared_string(60 * 1024 * 1024), actor=None)
    assert [p.field for p in result.errors] == ["file"]
    assert "unpacks to more than 50 MB" in result.errors[0].message
    assert not Household.objects.exists()
