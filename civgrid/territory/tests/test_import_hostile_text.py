"""The regions import (GeoJSON) refuses a code or name holding an invisible control or bidi
character, naming the feature and the property, and writes nothing."""

import pytest
from django.utils import translation

from civgrid.territory.actions import import_regions
from civgrid.territory.tests.test_import_regions import collection, feature, snapshot
from civgrid.testing import square

pytestmark = pytest.mark.django_db


def test_a_control_character_in_a_name_or_code_is_refused_naming_feature_and_property(world):
    before = snapshot()
    data = collection(
        feature("G1", "一号\x07网格", "grid", world.area.code, square(114.70, 33.60)),
        feature("G2\u202e", "二号网格", "grid", world.area.code, square(114.72, 33.60)),
        feature("G3", "三号网格", "grid", world.area.code + "\x1b", square(114.74, 33.60)),
    )
    with translation.override("en"):
        result = import_regions(data, actor=None)
    assert [(p.number, p.field) for p in result.errors] == [
        (1, "name"),
        (2, "code"),
        (3, "parent_code"),
    ]
    assert "U+0007" in result.errors[0].message and "U+202E" in result.errors[1].message
    assert snapshot() == before
