"""The cycle pages: the office opens and runs a cycle, the branch fills its file with evidence,
the reviewer sends it back or passes it on; scope (404) and roles (403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civgrid.appraisals import cycles
from civgrid.appraisals.models import Cycle, Enrolment, Evidence, Score
from civgrid.appraisals.tests.factories import five_star_scheme, make_branch
from civgrid.notices.defaults import restore_default_rules
from civgrid.org.models import Role
from civgrid.testing import PASSWORD, make_person, png_bytes

pytestmark = pytest.mark.django_db


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def running(world):
    restore_default_rules()
    w = world
    w.scheme = five_star_scheme(w.office.user)
    w.filler = make_person(Role.UNIT_CLERK, username="filler", unit=w.unit, name="支部联络员小陈")
    w.b1 = make_branch(
        w.grid_a, code="B1", name="城管局机关党支部", unit=w.unit, parent_unit=w.other_unit
    )
    w.b1.fillers.add(w.filler)
    w.cycle = cycles.open_cycle(w.scheme, actor=w.office.user, year=2026)
    return w


def full_form(scheme, step="submit"):
    data = {f"p_{p.code}": str(p.max_points) for p in scheme.points.all() if p.max_points}
    data["step"] = step
    return data


def test_the_office_opens_a_cycle_enrols_the_district_and_names_evaluators(client, world):
    scheme = five_star_scheme(world.office.user)
    make_branch(world.grid_a, code="B1")
    make_branch(world.grid_b, code="B2")
    login(client, world.office)
    response = client.post(
        reverse("appraisals:cycle_open"),
        {"scheme": scheme.pk, "year": "2026", "publicity_days": "7"},
    )
    cycle = Cycle.objects.get()
    assert response.url == reverse("appraisals:cycle", args=[cycle.pk])
    assert cycle.publicity_days == 7
    url = reverse("appraisals:cycle", args=[cycle.pk])
    client.post(url, {"step": "enrol_all"})
    assert cycle.enrolments.count() == 2
    client.post(
        url, {"step": "evaluator", "person": world.inspector.pk, "trained_on": "2026-10-20"}
    )
    assert cycle.evaluators.get().trained_on == dt.date(2026, 10, 20)
    page = client.get(url)
    assert "督查李科长" in page.content.decode()


def test_the_branch_fills_scores_and_evidence_and_submits_from_its_page(client, running):
    w = running
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)
    login(client, w.filler)
    url = reverse("appraisals:file", args=[e.pk])
    assert client.get(url).context["may_act"]
    photo = SimpleUploadedFile("活动室.png", png_bytes(), "image/png")
    client.post(url, {"step": "evidence", "point": "ZG2-1", "file": photo})
    evidence = Evidence.objects.get()
    assert evidence.name == "活动室.png"
    assert client.get(reverse("appraisals:evidence", args=[e.pk, evidence.pk])).status_code == 200
    client.post(url, full_form(w.scheme))
    e.refresh_from_db()
    assert (e.status, e.level) == (Enrolment.Status.REVIEW, 2)
    assert not client.get(url).context["may_act"]  # submitted: read only for the branch


def test_a_bad_score_on_the_page_is_shown_and_saves_nothing(client, running):
    w = running
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)
    login(client, w.filler)
    url = reverse("appraisals:file", args=[e.pk])
    data = full_form(w.scheme, step="score")
    data["p_ZR1-1"] = "60"
    page = client.post(url, data, follow=True)
    assert "0 to 6" in page.content.decode()
    assert not Score.objects.exists()


def test_the_reviewer_sends_the_file_back_from_its_page(client, running):
    w = running
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)
    cycles.score(
        e, actor=w.filler.user, scores={p.code: p.max_points for p in w.scheme.points.all()}
    )
    cycles.submit(e, actor=w.filler.user)
    login(client, w.other_clerk)
    url = reverse("appraisals:file", args=[e.pk])
    client.post(url, {"step": "send_back", "reason": "补充党费收缴记录"})
    e.refresh_from_db()
    assert (e.status, e.level) == (Enrolment.Status.FILLING, 1)


def test_people_outside_the_file_get_404_and_a_control_character_is_refused(client, running):
    w = running
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)
    url = reverse("appraisals:file", args=[e.pk])
    for outsider in (w.worker_a, w.resident):
        assert login(client, outsider).get(url).status_code == 404
    evaluator = make_person(Role.UNIT_CLERK, username="own", unit=w.unit, name="本单位考评员")
    cycles.add_evaluator(w.cycle, evaluator, trained_on=dt.date(2026, 10, 1), actor=w.office.user)
    assert login(client, evaluator).get(url).status_code == 404  # own unit's branch
    login(client, w.filler)
    data = full_form(w.scheme, step="score")
    data["comment"] = "注释\x07"
    page = client.post(url, data, follow=True)
    assert "U+0007" in page.content.decode()
    assert not Score.objects.exists()


def test_another_districts_office_cannot_open_the_cycle_page(client, city):
    restore_default_rules()
    scheme = five_star_scheme(city.city_office.user)
    cycle = cycles.open_cycle(scheme, actor=city.office.user, year=2026)
    url = reverse("appraisals:cycle", args=[cycle.pk])
    assert login(client, city.office2).get(url).status_code == 404
    assert login(client, city.city_office).get(url).status_code == 200
    assert login(client, city.office).get(url).status_code == 200


def test_the_start_page_shows_each_level_the_files_waiting_for_it(client, running):
    from django.utils import timezone

    from civgrid.appraisals.queries import files_waiting_for
    from civgrid.appraisals.todo import files_waiting

    w = running
    evaluator = make_person(Role.INSPECTOR, username="eval", name="考评员老吴")
    own = make_person(Role.UNIT_CLERK, username="own", unit=w.unit, name="本单位考评员")
    for person in (evaluator, own):
        cycles.add_evaluator(w.cycle, person, trained_on=dt.date(2026, 10, 1), actor=w.office.user)
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)

    def waiting(person):
        return list(files_waiting_for(person.user).values_list("pk", flat=True))

    assert (waiting(w.filler), waiting(w.other_clerk), waiting(evaluator)) == ([e.pk], [], [])
    page = login(client, w.filler).get(reverse("start"))
    assert "城管局机关党支部" in page.content.decode()
    full = {p.code: p.max_points for p in w.scheme.points.all()}
    cycles.score(e, actor=w.filler.user, scores=full)
    cycles.submit(e, actor=w.filler.user)
    assert (waiting(w.filler), waiting(w.other_clerk)) == ([], [e.pk])
    cycles.score(e, actor=w.other_clerk.user, scores=full)
    cycles.submit(e, actor=w.other_clerk.user)
    assert (waiting(w.other_clerk), waiting(evaluator), waiting(own)) == ([], [e.pk], [])
    panel = files_waiting(evaluator.user, Role.INSPECTOR, timezone.now())
    assert panel is not None and panel.count == 1
    assert files_waiting(w.resident.user, Role.RESIDENT, timezone.now()) is None


def test_the_office_takes_a_rating_from_the_file_page(client, running):
    from civgrid.appraisals import results

    w = running
    evaluator = make_person(Role.INSPECTOR, username="eval", name="考评员老吴")
    cycles.add_evaluator(w.cycle, evaluator, trained_on=dt.date(2026, 10, 1), actor=w.office.user)
    (e,) = cycles.enrol(w.cycle, [w.b1], actor=w.office.user)
    full = {p.code: p.max_points for p in w.scheme.points.all()}
    for person in (w.filler, w.other_clerk, evaluator):
        cycles.score(e, actor=person.user, scores=full)
        cycles.submit(e, actor=person.user)
    cycle = results.start_publicity(w.cycle, actor=w.office.user)
    results.fix_results(cycle, actor=w.office.user, now=cycle.publicity_ends_at)
    login(client, w.office)
    url = reverse("appraisals:file", args=[e.pk])
    assert "veto-form" in client.get(url).content.decode()
    client.post(url, {"step": "veto", "point": "XF2-2", "reason": "支部党员严重违纪"})
    e.refresh_from_db()
    assert (e.rank, e.vetoed_by) == (0, ["XF2-2"])


def test_the_cycle_page_counts_files_by_type_and_grade_with_drill_down(client, running):
    w = running
    evaluator = make_person(Role.INSPECTOR, username="eval", name="考评员老吴")
    cycles.add_evaluator(w.cycle, evaluator, trained_on=dt.date(2026, 10, 1), actor=w.office.user)
    b2 = make_branch(
        w.grid_b, code="B2", name="富民社区党支部", kind="village", parent_unit=w.other_unit
    )
    b3 = make_branch(
        w.grid_b, code="B3", name="交通路社区党支部", kind="village", parent_unit=w.other_unit
    )
    for b in (b2, b3):
        b.fillers.add(w.filler)
    e1, e2, _e3 = cycles.enrol(w.cycle, [w.b1, b2, b3], actor=w.office.user)
    full = {p.code: p.max_points for p in w.scheme.points.all()}
    for e, scores in ((e1, full), (e2, {**full, "FW1-1": full["FW1-1"] * 0})):
        for person in (w.filler, w.other_clerk, evaluator):
            cycles.score(e, actor=person.user, scores=scores)
            cycles.submit(e, actor=person.user)
    login(client, w.office)
    url = reverse("appraisals:cycle", args=[w.cycle.pk])
    figures = client.get(url).context["figures"]
    rows = {kind: (dict(counts), total) for kind, _l, counts, total in figures.by_kind}
    assert rows["organ"] == ({5: 1, 4: 0, 3: 0, 2: 0, 1: 0, 0: 0}, 1)
    assert rows["village"][0][4] == 1 and rows["village"][1] == 1
    assert figures.ungraded == 1
    assert figures.stars_missed[0][1] == "服务群众星" and figures.stars_missed[0][2] == 1
    page = client.get(url + "?kind=village&rank=4")
    assert [f.branch.code for f, _level in page.context["files"]] == ["B2"]
