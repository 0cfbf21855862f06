"""The file's completeness (一企一档 done for N of M), documents, expiry and the history page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.enterprises import actions
from civgrid.enterprises.imports import Lookups, check_row
from civgrid.enterprises.models import DocumentKind, EnterpriseEvent, Kind, SizeThreshold
from civgrid.enterprises.queries import completeness, expiring_documents, incomplete_files
from civgrid.enterprises.tests.factories import PDF, REAL_CODES, make_document, make_enterprise
from civgrid.testing import PASSWORD, photo_upload

D = DocumentKind
FULL_SET = (
    D.BUSINESS_LICENCE,
    D.FIRE_ACCEPTANCE,
    D.EMERGENCY_PLAN,
    D.DRILL_RECORD,
    D.TRAINING_RECORD,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def complete(enterprise, expires_on=None):
    for kind in FULL_SET:
        make_document(enterprise, kind, expires_on=expires_on)
    return enterprise


def test_completeness_counts_files_done_among_enterprises_above_size(world):
    today = timezone.localdate()
    complete(make_enterprise(world.grid_a, credit_code=REAL_CODES[0]))
    complete(make_enterprise(world.grid_a, credit_code=REAL_CODES[1]))
    make_enterprise(world.grid_a, credit_code=REAL_CODES[2])  # no documents
    complete(make_enterprise(world.grid_a, credit_code=REAL_CODES[3]), today - dt.timedelta(days=1))
    complete(make_enterprise(world.grid_a, credit_code=REAL_CODES[4], safety_phone=""))
    above = next(r for r in completeness(world.office.user, today) if r.kind == Kind.ABOVE_SCALE)
    assert (above.done, above.total) == (2, 5)


def test_a_closed_down_enterprise_does_not_count(world):
    make_enterprise(world.grid_a, credit_code=REAL_CODES[0], is_active=False)
    above = next(
        r
        for r in completeness(world.office.user, timezone.localdate())
        if r.kind == Kind.ABOVE_SCALE
    )
    assert above.total == 0


def test_the_gaps_say_what_is_missing_and_what_expired(world):
    today = timezone.localdate()
    e = make_enterprise(world.grid_a, kind=Kind.SMALL_EATERY, credit_code="", safety_person="")
    make_document(e, D.FOOD_LICENCE, expires_on=today - dt.timedelta(days=3))
    [status] = incomplete_files(world.office.user, today, kind=Kind.SMALL_EATERY)
    assert status.gaps == [
        "unified social credit code",
        "safety officer (安全负责人)",
        "Business licence (营业执照) missing",
        "Food business licence (食品经营许可证) expired",
    ]


def test_a_newer_document_supersedes_the_expired_one(world):
    today = timezone.localdate()
    e = make_enterprise(world.grid_a, kind=Kind.SMALL_SHOP, credit_code=REAL_CODES[0])
    old = make_document(e, D.BUSINESS_LICENCE, expires_on=today - dt.timedelta(days=10))
    assert list(expiring_documents(world.office.user, today)) == [old]
    make_document(e, D.BUSINESS_LICENCE, expires_on=today + dt.timedelta(days=365))
    assert list(expiring_documents(world.office.user, today)) == []
    assert incomplete_files(world.office.user, today, kind=Kind.SMALL_SHOP) == []


def test_documents_expiring_within_30_days_are_listed_soonest_first(world):
    today = timezone.localdate()
    e = make_enterprise(world.grid_a, kind=Kind.SMALL_HOTEL)
    later = make_document(e, D.FIRE_ACCEPTANCE, expires_on=today + dt.timedelta(days=30))
    sooner = make_document(e, D.BUSINESS_LICENCE, expires_on=today + dt.timedelta(days=2))
    make_document(e, D.EMERGENCY_PLAN, expires_on=today + dt.timedelta(days=31))
    assert list(expiring_documents(world.office.user, today)) == [sooner, later]


def test_adding_a_pdf_document_writes_the_file_and_an_event(world):
    e = make_enterprise(world.grid_a)
    doc = actions.add_document(
        actor=world.office.user,
        enterprise=e,
        kind=D.BUSINESS_LICENCE,
        upload=PDF,
        number="ZK-001",
        expires_on=dt.date(2030, 1, 1),
    )
    assert doc.file.read() == PDF and doc.file.name.endswith(".pdf")
    event = EnterpriseEvent.objects.get(enterprise=e, action="document")
    assert "ZK-001" in event.note and "2030-01-01" in event.note


def test_a_photographed_document_is_stored_as_an_image(world):
    e = make_enterprise(world.grid_a)
    doc = actions.add_document(
        actor=world.office.user, enterprise=e, kind=D.DRILL_RECORD, upload=photo_upload()
    )
    assert doc.file.name.endswith(".png")


def test_a_file_that_is_neither_pdf_nor_image_is_refused(world):
    e = make_enterprise(world.grid_a)
    with pytest.raises(InvalidInput):
        actions.add_document(
            actor=world.office.user, enterprise=e, kind=D.DRILL_RECORD, upload=b"MZ\x90\x00"
        )


def test_a_grid_worker_cannot_add_documents(world):
    e = make_enterprise(world.grid_a)
    with pytest.raises(NotAllowed):
        actions.add_document(
            actor=world.worker_a.user, enterprise=e, kind=D.DRILL_RECORD, upload=PDF
        )


def test_a_document_cannot_expire_before_it_was_issued(world):
    e = make_enterprise(world.grid_a)
    with pytest.raises(InvalidInput):
        actions.add_document(
            actor=world.office.user,
            enterprise=e,
            kind=D.DRILL_RECORD,
            upload=PDF,
            issued_on=dt.date(2025, 5, 1),
            expires_on=dt.date(2025, 4, 1),
        )


def test_an_update_records_old_and_new_values_and_an_unchanged_one_writes_nothing(world):
    e = make_enterprise(world.grid_a, credit_code=REAL_CODES[0], name="甲公司", address="七一路1号")
    values = {
        "name": "甲公司",
        "kind": "above_scale",
        "credit_code": REAL_CODES[0],
        "address": "七一路1号",
        "grid_code": world.grid_a.code,
        "staff": "200",
    }
    row, problems = check_row(0, values, Lookups.for_rows([values]), None)
    assert not problems
    assert actions.update_enterprise(actor=world.office.user, enterprise=e, row=row)
    assert EnterpriseEvent.objects.get(enterprise=e, action="updated").changes == {
        "staff": ["120", "200"]
    }
    e.refresh_from_db()
    assert not actions.update_enterprise(actor=world.office.user, enterprise=e, row=row)
    assert EnterpriseEvent.objects.filter(enterprise=e).count() == 1


def test_a_clerk_cannot_move_a_file_to_another_regulator(world):
    e = make_enterprise(world.grid_a, credit_code=REAL_CODES[0], regulator=world.unit)
    values = {
        "name": e.name,
        "kind": "above_scale",
        "credit_code": REAL_CODES[0],
        "address": e.address,
        "grid_code": world.grid_a.code,
        "regulator": world.other_unit.code,
    }
    row, _ = check_row(0, values, Lookups.for_rows([values]), None)
    with pytest.raises(NotAllowed):
        actions.update_enterprise(actor=world.clerk.user, enterprise=e, row=row)


def test_a_venue_above_the_cities_nine_small_size_is_flagged(client, world):
    SizeThreshold.objects.create(kind=Kind.SMALL_EATERY, max_seats=100)
    e = make_enterprise(world.grid_a, kind=Kind.SMALL_EATERY, seats=150)
    client.login(username="office", password=PASSWORD)
    body = client.get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    assert 'id="threshold"' in body and "150 &gt; 100" in body


def test_the_file_page_shows_documents_gaps_and_history(client, world):
    e = make_enterprise(world.grid_a, kind=Kind.SMALL_SHOP, credit_code=REAL_CODES[0])
    client.login(username="office", password=PASSWORD)
    url = reverse("enterprises:detail", args=[e.pk])
    response = client.post(
        url,
        {
            "kind": D.BUSINESS_LICENCE,
            "number": "ZK-9",
            "expires_on": "2031-01-01",
            "file": photo_upload(),
        },
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "The file is complete." in body and "ZK-9" in body and "Document added" in body


def test_the_office_opens_a_file_by_hand_and_its_grid_comes_from_the_point(client, world):
    client.login(username="office", password=PASSWORD)
    response = client.post(
        reverse("enterprises:create"),
        {
            "name": "国槐小旅馆",
            "kind": Kind.SMALL_HOTEL,
            "address": "国槐街9号",
            "longitude": "114.605",
            "latitude": "33.605",
            "beds": "12",
        },
    )
    assert response.status_code == 302
    e = world.grid_a.enterprises.get()
    assert (e.name, e.beds) == ("国槐小旅馆", 12)
    assert e.events.get().action == "created"


def test_the_form_shows_a_bad_credit_code_on_its_field(client, world):
    client.login(username="office", password=PASSWORD)
    response = client.post(
        reverse("enterprises:create"),
        {
            "name": "某公司",
            "kind": Kind.ABOVE_SCALE,
            "address": "x路",
            "grid_code": world.grid_a.code,
            "credit_code": REAL_CODES[0][:17] + "0",
        },
    )
    assert response.status_code == 400 and "check character" in response.content.decode()


def test_the_files_page_shows_n_of_m_and_the_expiring_list(client, world):
    today = timezone.localdate()
    complete(make_enterprise(world.grid_a, credit_code=REAL_CODES[0], name="完整公司"))
    e = make_enterprise(world.grid_a, credit_code=REAL_CODES[1], name="缺档公司")
    make_document(e, D.BUSINESS_LICENCE, expires_on=today + dt.timedelta(days=5))
    client.login(username="office", password=PASSWORD)
    body = client.get(reverse("enterprises:files")).content.decode()
    assert '<tr data-kind="above_scale">' in body and "缺档公司" in body
    assert "50%" in body
