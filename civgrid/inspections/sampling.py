"""Sampling sites (点位抽样) for an inspection, the way evaluators draw them: a number per site
kind, or all of a kind, optionally under one region.

Reproducible: the candidates of each kind are ordered by code (then id) and drawn with
`random.Random(f"{seed}:{kind}")`, so the same seed over the same sites gives the same sample,
and adding sites of one kind does not change the draw of another. "No blind spot" (不留死角):
every requested kind must be covered; a kind with no site at all is an error, a kind with fewer
sites than asked takes them all and says so.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civgrid.territory.models import Region, Site

ALL = "all"


class SamplingError(ValueError):
    """The request cannot be sampled; the message is for the user, `field` names the input."""

    def __init__(self, message: str, field: str = "sample_sizes") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Sample:
    sites: list[Site]
    # kind -> (asked, available) where fewer sites than asked exist (all were taken)
    short: dict[str, tuple[int, int]] = field(default_factory=dict)

    def warnings(self) -> list[str]:
        labels = dict(Site.Kind.choices)
        return [
            _("Only %(n)d sites of kind %(kind)s exist (%(asked)d asked): all are included.")
            % {"n": available, "kind": labels.get(kind, kind), "asked": asked}
            for kind, (asked, available) in self.short.items()
        ]


def parse_size(kind: str, value: object) -> int | str:
    """A sample size: a positive whole number or "all"."""
    if value == ALL:
        return ALL
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SamplingError(
            _("Give a number of sites or “all” for kind %(kind)s.") % {"kind": kind}
        )
    try:
        number = int(value)
    except ValueError as exc:
        raise SamplingError(
            _("Give a number of sites or “all” for kind %(kind)s.") % {"kind": kind}
        ) from exc
    if number < 1:
        raise SamplingError(_("Sample at least one site of kind %(kind)s.") % {"kind": kind})
    return number


def candidates(kind: str, region: Region | None) -> QuerySet[Site]:
    sites = Site.objects.filter(kind=kind)
    if region is not None:
        sites = sites.filter(grid__path__startswith=region.path)
    # The stable order the draw depends on.
    return sites.order_by("code", "id")


def draw_sample(sizes: Mapping[str, object], *, seed: int, region: Region | None = None) -> Sample:
    """Draw the sites for `sizes` ({kind: n or "all"}). Raises SamplingError for an unknown
    kind, a bad size, or a kind with no site (the blind spot the plan must not have)."""
    if not sizes:
        raise SamplingError(_("Choose at least one site kind to sample."))
    result = Sample(sites=[])
    empty: list[str] = []
    labels = dict(Site.Kind.choices)
    for kind in sorted(sizes):
        if kind not in Site.Kind.values:
            raise SamplingError(_("Unknown site kind: %(kind)s.") % {"kind": kind})
        size = parse_size(str(labels[kind]), sizes[kind])
        pool = list(candidates(kind, region))
        if not pool:
            empty.append(str(labels[kind]))
            continue
        if size == ALL:
            result.sites.extend(pool)
            continue
        assert isinstance(size, int)
        if size >= len(pool):
            if size > len(pool):
                result.short[kind] = (size, len(pool))
            result.sites.extend(pool)
            continue
        rng = random.Random(f"{seed}:{kind}")
        chosen = sorted(rng.sample(range(len(pool)), size))
        result.sites.extend(pool[i] for i in chosen)
    if empty:
        where = region.name if region is not None else _("the district")
        raise SamplingError(
            _("No site of kind %(kinds)s in %(where)s: every kind asked must be covered.")
            % {"kinds": "、".join(empty), "where": where}
        )
    return result
