"""Open311 POST refuses a control or bidi character in any field, naming it, and stores
nothing; a request whose stored text holds one still reads back as well-formed XML."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from civgrid.cases.models import Case
from civgrid.open311.tests.test_georeport import V2, key, post, publish_all  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "fields",
    [
        {"description": "人行道上摆摊\x07"},
        {"address_string": "人民路\u202e1号"},
        {"first_name": "明\x1b"},
    ],
)
def test_a_post_with_a_control_character_is_refused_naming_it(client, world, key, fmt, fields):  # noqa: F811
    with translation.override("en"):
        response = post(client, key, fmt=fmt, **fields)
    assert response.status_code == 400
    body = response.content.decode()
    [name] = fields
    assert name in body and "invisible control character (U+" in body
    assert not Case.objects.exists()


def test_a_stored_control_character_reads_back_as_well_formed_xml(client, world, key, publish_all):  # noqa: F811
    [row] = post(client, key).json()
    Case.objects.update(description="摆摊\x07\x1b\u202e占道")
    response = client.get(f"{V2}/requests/{row['service_request_id']}.xml")
    assert response.status_code == 200
    assert ET.fromstring(response.content).findtext("request/description") == "摆摊占道"
