"""A yearly cycle through every stage: enrol, self-assessment with evidence, review, acceptance
by trained evaluators, grade, 公示 with objections, results fixed with promotion and demotion
against last year; and the refusals (out of order, out of scope, own unit, bad scores)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from civgrid.appraisals import actions, cycles, results
from civgrid.appraisals.models import AppraisalEvent, Cycle, Enrolment, Evidence, Score
from civgrid.appraisals.tests.factories import five_star_scheme, make_branch
from civgrid.lib.records import ImmutableError
from civgrid.notices.defaults import restore_default_rules
from civgrid.notices.models import Notice
from civgrid.org.models import Role
from civgrid.testing import make_person, png_bytes

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def setup(world):
    restore_default_rules()
    w = world
    w.scheme = five_star_scheme(w.office.user)
    w.filler = make_person(Role.UNIT_CLERK, username="filler", unit=w.unit, name="支部联络员小陈")
    w.b1 = make_branch(
        w.grid_a, code="B1", name="城管局机关党支部", unit=w.unit, parent_unit=w.other_unit
    )
    w.b2 = make_branch(
        w.grid_b, code="B2", name="富民社区党支部", parent_unit=w.other_unit, kind="village"
    )
    for b in (w.b1, w.b2):
        b.fillers.add(w.filler)
    w.evaluator = make_person(Role.INSPECTOR, username="eval", name="考评员老吴")
    return w


def full_marks(scheme, **minus):
    scores = {p.code: p.max_points for p in scheme.points.all()}
    for code, taken in minus.items():
        scores[code.replace("_", "-")] -= D(taken)
    return scores


def open_year(w, year):
    cycle = cycles.open_cycle(w.scheme, actor=w.office.user, year=year, publicity_days=5)
    cycles.add_evaluator(cycle, w.evaluator, trained_on=dt.date(year, 10, 20), actor=w.office.user)
    return cycle


def through_all_levels(w, enrolment, scores, vetoed=()):
    """Self-assessment, parent review and acceptance each score the same and pass it up."""
    for person in (w.filler, w.other_clerk, w.evaluator):
        cycles.score(enrolment, actor=person.user, scores=scores, vetoed=vetoed)
        enrolment = cycles.submit(enrolment, actor=person.user)
    return enrolment


def publish_and_fix(w, cycle):
    results.start_publicity(cycle, actor=w.office.user, now=T0)
    cycle.refresh_from_db()
    return results.fix_results(cycle, actor=w.office.user, now=cycle.publicity_ends_at)


def test_a_full_cycle_grades_and_compares_with_last_year(setup):
    w = setup
    last = open_year(w, 2025)
    e1, e2 = cycles.enrol(last, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, e1, full_marks(w.scheme))  # five stars
    through_all_levels(w, e2, full_marks(w.scheme, ZR1_1=5, ZZ1_1=5))  # two stars lost
    publish_and_fix(w, last)
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.rank, e1.movement, e2.rank, e2.movement) == (5, "new", 3, "new")

    this = open_year(w, 2026)
    b3 = make_branch(
        w.grid_a, code="B3", name="七一路小学党支部", kind="school", parent_unit=w.other_unit
    )
    b3.fillers.add(w.filler)
    n1, n2, n3 = cycles.enrol(this, [w.b1, w.b2, b3], actor=w.office.user)
    through_all_levels(w, n1, full_marks(w.scheme), vetoed=["XF2-2"])  # a serious violation
    through_all_levels(w, n2, full_marks(w.scheme))
    through_all_levels(w, n3, full_marks(w.scheme, FW1_1=7))
    fixed = publish_and_fix(w, this)
    assert fixed.status == Cycle.Status.FIXED
    n1.refresh_from_db()
    n2.refresh_from_db()
    n3.refresh_from_db()
    assert (n1.rank, n1.previous_rank, n1.movement, n1.vetoed_by) == (0, 5, "lost", ["XF2-2"])
    assert (n2.rank, n2.previous_rank, n2.movement) == (5, 3, "promoted")
    assert (n3.rank, n3.movement, n3.total) == (4, "new", D(93))
    kinds = list(AppraisalEvent.objects.filter(enrolment=n2).values_list("kind", "level"))
    assert kinds == [
        ("enrolled", 1),
        ("scored", 1),
        ("submitted", 1),
        ("scored", 2),
        ("submitted", 2),
        ("scored", 3),
        ("graded", 3),
    ]
    assert AppraisalEvent.objects.filter(cycle=this, kind="fixed").get().data["movements"] == {
        "lost": 1,
        "promoted": 1,
        "new": 1,
    }


def test_a_branch_kept_at_its_grade_is_kept_and_a_lower_one_is_demoted(setup):
    w = setup
    last = open_year(w, 2025)
    e1, e2 = cycles.enrol(last, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, e1, full_marks(w.scheme))
    through_all_levels(w, e2, full_marks(w.scheme))
    publish_and_fix(w, last)
    this = open_year(w, 2026)
    n1, n2 = cycles.enrol(this, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, n1, full_marks(w.scheme))
    through_all_levels(w, n2, full_marks(w.scheme, XF1_1=8))
    publish_and_fix(w, this)
    n1.refresh_from_db()
    n2.refresh_from_db()
    assert (n1.movement, n2.movement, n2.rank) == ("kept", "demoted", 4)


def test_the_acceptance_level_scores_decide_not_the_self_assessment(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    cycles.score(e, actor=w.filler.user, scores=full_marks(w.scheme))
    cycles.submit(e, actor=w.filler.user)
    cycles.score(e, actor=w.other_clerk.user, scores=full_marks(w.scheme))
    cycles.submit(e, actor=w.other_clerk.user)
    cycles.score(e, actor=w.evaluator.user, scores=full_marks(w.scheme, ZG1_1=5))
    e = cycles.submit(e, actor=w.evaluator.user)
    assert (e.status, e.rank, e.grade) == (Enrolment.Status.ACCEPTED, 4, "4 stars")


def test_a_reviewer_sends_the_file_back_and_the_branch_is_told(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    cycles.score(e, actor=w.filler.user, scores=full_marks(w.scheme))
    cycles.submit(e, actor=w.filler.user)
    assert Notice.objects.filter(event="appraisal_due", user=w.other_clerk.user).exists()
    e = cycles.send_back(e, actor=w.other_clerk.user, reason="请补充主题党日活动照片")
    assert (e.status, e.level) == (Enrolment.Status.FILLING, 1)
    notice = Notice.objects.get(event="appraisal_sent_back")
    assert notice.user == w.filler.user
    assert notice.data["reason"] == "请补充主题党日活动照片"
    with pytest.raises(actions.AppraisalError):
        cycles.send_back(e, actor=w.other_clerk.user, reason="again")  # with the branch already


def test_the_branch_attaches_photos_and_pdfs_of_the_kind_the_point_takes(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    photo = cycles.attach_evidence(
        e, actor=w.filler.user, point_code="ZG2-1", upload=png_bytes(), name="活动室.png"
    )
    assert photo.kind == "photo" and photo.file.name.endswith(".png")
    pdf = b"%PDF-1.4\n%minutes\n"
    doc = cycles.attach_evidence(
        e, actor=w.filler.user, point_code="ZR1-1", upload=pdf, name="责任清单.pdf"
    )
    assert doc.kind == "document"
    with pytest.raises(actions.AppraisalError, match="takes"):
        cycles.attach_evidence(e, actor=w.filler.user, point_code="ZG2-1", upload=pdf)
    with pytest.raises(actions.AppraisalError, match="takes"):
        cycles.attach_evidence(e, actor=w.filler.user, point_code="ZR1-1", upload=png_bytes())
    with pytest.raises(actions.AppraisalError, match="photo"):
        cycles.attach_evidence(e, actor=w.filler.user, point_code="ZZ1-1", upload=b"MZ\x90\x00exe")
    with pytest.raises(actions.AppraisalError, match="on site"):
        cycles.attach_evidence(e, actor=w.filler.user, point_code="XF2-2", upload=pdf)
    with pytest.raises(actions.NotAllowed):
        cycles.attach_evidence(e, actor=w.other_clerk.user, point_code="ZR1-1", upload=pdf)
    assert Evidence.objects.count() == 2


def test_an_evaluator_may_not_score_a_branch_of_their_own_unit(setup):
    w = setup
    cycle = open_year(w, 2026)
    cycles.add_evaluator(cycle, w.clerk, trained_on=dt.date(2026, 10, 20), actor=w.office.user)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    for person in (w.filler, w.other_clerk):
        cycles.score(e, actor=person.user, scores=full_marks(w.scheme))
        cycles.submit(e, actor=person.user)
    with pytest.raises(actions.NotAllowed, match="own unit"):
        cycles.score(e, actor=w.clerk.user, scores=full_marks(w.scheme))
    assert not Score.objects.filter(level=3).exists()


def test_only_the_named_people_act_at_each_level(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    for outsider in (w.other_clerk, w.evaluator, w.office, w.worker_a):
        with pytest.raises(actions.NotAllowed):
            cycles.score(e, actor=outsider.user, scores={"ZR1-1": D(6)})
    cycles.score(e, actor=w.filler.user, scores=full_marks(w.scheme))
    cycles.submit(e, actor=w.filler.user)
    for outsider in (w.filler, w.clerk, w.evaluator):  # the branch cannot edit after submitting
        with pytest.raises(actions.NotAllowed):
            cycles.score(e, actor=outsider.user, scores={"ZR1-1": D(1)})
    assert Score.objects.get(level=1, point__code="ZR1-1").points == D(6)


def test_scores_out_of_range_refuse_the_whole_call(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    with pytest.raises(actions.AppraisalError, match="0 to 6"):
        cycles.score(e, actor=w.filler.user, scores={"ZR1-2": D(4), "ZR1-1": D(7)})
    with pytest.raises(actions.AppraisalError, match="not a veto item"):
        cycles.score(e, actor=w.filler.user, scores={}, vetoed=["ZR1-1"])
    assert not Score.objects.exists()


def test_steps_out_of_order_are_refused(setup):
    w = setup
    cycle = open_year(w, 2026)
    (e,) = cycles.enrol(cycle, [w.b1], actor=w.office.user)
    with pytest.raises(actions.AppraisalError, match="Score every point"):
        cycles.submit(e, actor=w.filler.user)
    with pytest.raises(actions.AppraisalError, match="not graded"):
        results.start_publicity(cycle, actor=w.office.user, now=T0)
    with pytest.raises(actions.AppraisalError, match="after the public notice"):
        results.fix_results(cycle, actor=w.office.user, now=T0)
    with pytest.raises(actions.AppraisalError, match="during the public notice"):
        results.record_objection(e, actor=w.office.user, text="有异议")
    e = through_all_levels(w, e, full_marks(w.scheme))
    with pytest.raises(actions.AppraisalError, match="no longer"):
        cycles.score(e, actor=w.evaluator.user, scores={"ZR1-1": D(1)})
    cycle = results.start_publicity(cycle, actor=w.office.user, now=T0)
    assert cycle.publicity_ends_at == dt.datetime(
        2026, 11, 9, 16, 0, tzinfo=dt.UTC
    )  # 5 working days
    with pytest.raises(actions.AppraisalError, match="runs until"):
        results.fix_results(cycle, actor=w.office.user, now=T0 + dt.timedelta(days=2))
    results.record_objection(
        e, actor=w.office.user, text="该支部活动照片系补拍", raised_by="群众来信"
    )
    with pytest.raises(actions.AppraisalError, match="enrolled while the cycle is open"):
        cycles.enrol(cycle, [w.b2], actor=w.office.user)
    assert Notice.objects.filter(event="appraisal_publicity", user=w.filler.user).count() == 1


def test_the_quota_stops_the_public_notice_when_too_many_reach_five_stars(setup):
    w = setup
    draft = actions.new_version(w.scheme, actor=w.office.user)
    type(draft).objects.filter(pk=draft.pk).update(quota_rank=5, quota_percent=D(50))
    w.scheme = actions.publish_scheme(draft, actor=w.office.user)
    cycle = open_year(w, 2026)
    e1, e2 = cycles.enrol(cycle, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, e1, full_marks(w.scheme))
    through_all_levels(w, e2, full_marks(w.scheme))
    with pytest.raises(actions.AppraisalError, match="quota allows 1"):
        results.start_publicity(cycle, actor=w.office.user, now=T0)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN


def test_another_districts_office_cannot_enrol_or_run_the_cycle(city):
    restore_default_rules()
    scheme = five_star_scheme(city.city_office.user)
    b1 = make_branch(city.grid_a, code="B1")
    b2 = make_branch(city.grid2, code="B2")
    cycle = cycles.open_cycle(scheme, actor=city.office.user, year=2026)
    assert cycle.region == city.district
    with pytest.raises(actions.NotAllowed):
        cycles.enrol(cycle, [b1], actor=city.office2.user)
    with pytest.raises(actions.NotAllowed):
        cycles.enrol(cycle, [b2], actor=city.office.user)  # outside the cycle's district
    assert cycles.enrol(cycle, [b1], actor=city.city_office.user)  # the city office may
    with pytest.raises(actions.NotAllowed):
        results.start_publicity(cycle, actor=city.office2.user, now=T0)


def test_appraisal_events_are_never_edited(setup):
    w = setup
    cycle = open_year(w, 2026)
    event = AppraisalEvent.objects.filter(cycle=cycle).first()
    assert event is not None
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()


def test_a_cycle_is_opened_once_a_year_from_a_published_scheme(setup):
    w = setup
    open_year(w, 2026)
    with pytest.raises(actions.AppraisalError, match="open already"):
        cycles.open_cycle(w.scheme, actor=w.office.user, year=2026)
    draft = actions.new_version(w.scheme, actor=w.office.user)
    with pytest.raises(actions.AppraisalError, match="published"):
        cycles.open_cycle(draft, actor=w.office.user, year=2027)
    with pytest.raises(actions.NotAllowed):
        cycles.open_cycle(w.scheme, actor=w.clerk.user, year=2027)


def test_certificates_list_the_results_and_certify_each_rated_branch(setup, client):
    import io

    from django.urls import reverse
    from docx import Document

    from civgrid.appraisals.certificates import certificates
    from civgrid.testing import PASSWORD

    w = setup
    cycle = open_year(w, 2026)
    e1, e2 = cycles.enrol(cycle, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, e1, full_marks(w.scheme))
    through_all_levels(w, e2, full_marks(w.scheme), vetoed=["ZR2-3"])
    with pytest.raises(actions.AppraisalError, match="fixed"):
        certificates(cycle)
    cycle = publish_and_fix(w, cycle)
    text = "\n".join(p.text for p in Document(io.BytesIO(certificates(cycle))).paragraphs)
    assert text.count("荣誉证书") == 1  # the vetoed branch has no star to certify
    assert "城管局机关党支部：" in text and "富民社区党支部：" not in text
    assert client.login(username=w.office.user.username, password=PASSWORD)
    response = client.get(reverse("appraisals:certificates", args=[cycle.pk]))
    assert response.status_code == 200
    assert client.login(username=w.filler.user.username, password=PASSWORD)
    assert client.get(reverse("appraisals:certificates", args=[cycle.pk])).status_code == 403


def test_a_veto_during_the_year_takes_the_stars_at_once_with_the_reason(setup):
    w = setup
    cycle = open_year(w, 2025)
    e1, _e2 = cycles.enrol(cycle, [w.b1, w.b2], actor=w.office.user)
    through_all_levels(w, e1, full_marks(w.scheme))
    through_all_levels(w, _e2, full_marks(w.scheme))
    publish_and_fix(w, cycle)
    with pytest.raises(actions.AppraisalError, match="not a veto item"):
        results.veto_in_year(w.b1, actor=w.office.user, point_code="ZR1-1", reason="x")
    with pytest.raises(actions.NotAllowed):
        results.veto_in_year(w.b1, actor=w.clerk.user, point_code="XF2-2", reason="x")
    standing = results.veto_in_year(
        w.b1, actor=w.office.user, point_code="XF2-2", reason="支部书记受到党内严重警告处分"
    )
    assert (standing.rank, standing.movement, standing.vetoed_by) == (0, "lost", ["XF2-2"])
    event = AppraisalEvent.objects.get(kind="vetoed")
    assert (event.note, event.data["rank"], event.by_name) == (
        "支部书记受到党内严重警告处分",
        [5, 0],
        "创建办张主任",
    )
    with pytest.raises(actions.AppraisalError, match="no rating"):
        results.veto_in_year(w.b1, actor=w.office.user, point_code="XF2-2", reason="again")
    # Next year the branch starts from no rating: a new rating, not a kept one.
    this = open_year(w, 2026)
    (n1,) = cycles.enrol(this, [w.b1], actor=w.office.user)
    through_all_levels(w, n1, full_marks(w.scheme))
    n2 = cycles.enrol(this, [w.b2], actor=w.office.user)[0]
    through_all_levels(w, n2, full_marks(w.scheme))
    publish_and_fix(w, this)
    n1.refresh_from_db()
    assert (n1.previous_rank, n1.movement) == (0, "new")
