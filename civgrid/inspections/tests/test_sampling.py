"""Sampling sites per kind: reproducible for a seed, every kind asked covered."""

from __future__ import annotations

import pytest

from civgrid.inspections.sampling import SamplingError, draw_sample
from civgrid.territory.models import Site
from civgrid.testing import make_site

ROAD, MARKET, PARK = Site.Kind.MAIN_ROAD, Site.Kind.MARKET, Site.Kind.PARK


@pytest.fixture
def sites(world):
    made = {ROAD: [], MARKET: []}
    for i in range(10):
        made[ROAD].append(make_site(world.grid_a, kind=ROAD, code=f"RD{i:02d}"))
    for i in range(4):
        made[MARKET].append(make_site(world.grid_b, kind=MARKET, code=f"MK{i:02d}"))
    return made


def codes(sample):
    return [s.code for s in sample.sites]


def test_the_same_seed_draws_the_same_sample(sites):
    first = draw_sample({ROAD: 3, MARKET: 2}, seed=42)
    again = draw_sample({MARKET: 2, ROAD: 3}, seed=42)
    assert codes(first) == codes(again)
    assert len(first.sites) == 5


def test_another_seed_draws_another_sample(sites):
    draws = {tuple(codes(draw_sample({ROAD: 3}, seed=seed))) for seed in range(10)}
    # C(10, 3) = 120 possible samples: ten seeds giving one single sample would be a broken draw.
    assert len(draws) > 1


def test_every_requested_kind_is_covered_with_the_number_asked(sites):
    sample = draw_sample({ROAD: 3, MARKET: 2}, seed=7)
    kinds = [s.kind for s in sample.sites]
    assert kinds.count(ROAD) == 3 and kinds.count(MARKET) == 2
    assert sample.short == {}


def test_a_kind_with_fewer_sites_than_asked_takes_them_all_and_says_so(sites):
    sample = draw_sample({ROAD: 2, MARKET: 9}, seed=1)
    assert sorted(s.code for s in sample.sites if s.kind == MARKET) == [
        "MK00",
        "MK01",
        "MK02",
        "MK03",
    ]
    assert sample.short == {MARKET: (9, 4)}
    assert "4" in sample.warnings()[0]


def test_all_takes_every_site_of_the_kind(sites):
    sample = draw_sample({ROAD: "all"}, seed=1)
    assert codes(sample) == [f"RD{i:02d}" for i in range(10)]


def test_a_kind_without_any_site_is_a_blind_spot_and_refused(sites):
    with pytest.raises(SamplingError) as caught:
        draw_sample({ROAD: 2, PARK: 1}, seed=1)
    assert "Park" in caught.value.message


def test_sampling_under_a_region_only_draws_sites_inside_it(world, sites):
    sample = draw_sample({ROAD: "all"}, seed=3, region=world.grid_a)
    assert len(sample.sites) == 10
    with pytest.raises(SamplingError):
        draw_sample({MARKET: 1}, seed=3, region=world.grid_a)


@pytest.mark.parametrize("size", [0, -1, "x", True, 2.5])
def test_a_bad_size_is_refused(sites, size):
    with pytest.raises(SamplingError):
        draw_sample({ROAD: size}, seed=1)


def test_an_unknown_kind_is_refused(sites):
    with pytest.raises(SamplingError):
        draw_sample({"volcano": 1}, seed=1)
