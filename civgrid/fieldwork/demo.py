"""Demo patrols: some grid workers walked their grids in the last two weeks, with GPS tracks.

Patrols have no event history, so they and their points are bulk-inserted; distance and the
grids touched are computed by the same functions the API uses.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from civgrid.demo.district import District
from civgrid.demo.geometry import random_point_in
from civgrid.fieldwork.models import Patrol, TrackPoint
from civgrid.fieldwork.tracks import track_length
from civgrid.org.models import Person
from civgrid.territory.queries import get_locator

N_WORKERS = 12
PATROLS_PER_WORKER = (2, 5)
POINT_EVERY = dt.timedelta(seconds=30)
STEP_M = 35.0  # about 1.2 m/s between two points 30 s apart
M_PER_DEG_LAT = 111_320.0


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    grid_indexes: dict[int, list[int]] = {}
    for index, user in enumerate(district.worker_of_grid):
        grid_indexes.setdefault(user.pk, []).append(index)
    workers = rng.sample(district.workers, min(N_WORKERS, len(district.workers)))
    names = dict(Person.objects.filter(user__in=workers).values_list("user_id", "name"))
    locator = get_locator()
    window = min(days, 14)
    patrols: list[tuple[Patrol, list[TrackPoint]]] = []
    for worker in workers:
        if worker.pk not in grid_indexes:
            continue
        for _n in range(rng.randint(*PATROLS_PER_WORKER)):
            day = timezone.localtime(end - dt.timedelta(days=rng.randint(1, window))).date()
            night = rng.random() < 0.25  # 夜间巡查
            hour = rng.randint(19, 21) if night else rng.randint(8, 16)
            started = timezone.make_aware(
                dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)))
            )
            shape = district.map.grids[rng.choice(grid_indexes[worker.pk])]
            points = _walk(rng, shape, started, rng.randint(40, 140))
            patrol = Patrol(
                worker=worker,
                worker_name=names.get(worker.pk, worker.get_username()),
                client_key=f"demo-{len(patrols) + 1}",
                started_at=started,
                ended_at=points[-1].recorded_at + POINT_EVERY,
                distance_m=round(track_length((p.longitude, p.latitude) for p in points), 1),
                point_count=len(points),
                note="夜间巡查" if night else "",
            )
            patrols.append((patrol, points))
    Patrol.objects.bulk_create([p for p, _pts in patrols], ignore_conflicts=False)
    saved = {
        (p.worker_id, p.client_key): p
        for p in Patrol.objects.filter(client_key__startswith="demo-")
    }
    rows: list[TrackPoint] = []
    links = []
    through = Patrol.grids.through
    for patrol, points in patrols:
        stored = saved[(patrol.worker_id, patrol.client_key)]
        grids: set[int] = set()
        for p in points:
            p.patrol = stored
            rows.append(p)
            found = locator.locate(p.longitude, p.latitude)
            if found is not None:
                grids.add(found)
        links += [through(patrol_id=stored.pk, region_id=g) for g in sorted(grids)]
    TrackPoint.objects.bulk_create(rows, batch_size=2000)
    through.objects.bulk_create(links, batch_size=2000)


def _walk(rng: random.Random, shape, started: dt.datetime, n: int) -> list[TrackPoint]:  # type: ignore[no-untyped-def]
    """A walk of n points inside the grid: keep a heading, turn a little, bounce off edges."""
    from shapely.geometry import Point

    here = random_point_in(rng, shape, margin=0.0002)
    lon, lat = here.x, here.y
    heading = rng.uniform(0, 2 * math.pi)
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat))
    points = []
    for i in range(n):
        points.append(
            TrackPoint(
                recorded_at=started + POINT_EVERY * i,
                longitude=round(lon, 6),
                latitude=round(lat, 6),
                accuracy=round(rng.uniform(4, 25), 1),
            )
        )
        for _try in range(8):
            heading += rng.gauss(0, 0.5)
            step = STEP_M * rng.uniform(0.6, 1.3)
            nlon = lon + step * math.cos(heading) / m_per_deg_lon
            nlat = lat + step * math.sin(heading) / M_PER_DEG_LAT
            if shape.contains(Point(nlon, nlat)):
                lon, lat = nlon, nlat
                break
            heading += math.pi / 2
    return points
