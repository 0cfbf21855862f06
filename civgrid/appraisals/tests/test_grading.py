"""The grading rule from hand-built scores: stars, bands, veto, quota, movements."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from civgrid.appraisals.grading import (
    BANDS,
    STARS,
    DimensionSpec,
    Movement,
    PointSpec,
    Quota,
    Rule,
    check_quota,
    check_rule,
    check_scores,
    grade,
    movement,
    quota_limit,
)


def five_stars(quota: Quota | None = None) -> Rule:
    """Five stars of two points each (10 + 10), earned at 16; S5 has a veto point."""
    dimensions = tuple(
        DimensionSpec(
            f"S{i}",
            f"星{i}",
            (
                PointSpec(f"S{i}-1", D(10)),
                PointSpec(f"S{i}-2", D(10)),
                *((PointSpec("S5-V", D(0), is_veto=True),) if i == 5 else ()),
            ),
            pass_mark=D(16),
        )
        for i in range(1, 6)
    )
    return Rule(STARS, dimensions, quota=quota)


def hundred_points() -> Rule:
    points = tuple(PointSpec(f"P{i}", D(10), is_veto=(i == 0)) for i in range(10))
    bands = ((D(90), "优秀"), (D(80), "良好"), (D(60), "合格"), (D(0), "不合格"))
    return Rule(BANDS, (DimensionSpec("D", "履职", points),), bands=bands)


def full(rule: Rule, **overrides: D) -> dict[str, D]:
    scores = {code: spec.max_points for code, spec in rule.points.items()}
    scores.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return scores


def test_full_marks_earn_every_star():
    result = grade(five_stars(), full(five_stars()))
    assert result.rank == 5
    assert result.earned == ("S1", "S2", "S3", "S4", "S5")
    assert result.total == D(100)
    assert result.label == "5 stars"


def test_a_star_is_earned_exactly_at_its_pass_mark_and_lost_just_below():
    rule = five_stars()
    at_mark = grade(rule, full(rule, S1_1=D(6)))
    assert at_mark.by_dimension["S1"] == D(16)
    assert "S1" in at_mark.earned
    below = grade(rule, full(rule, S1_1=D("5.99")))
    assert "S1" not in below.earned
    assert below.rank == 4


def test_five_stars_need_every_star_however_high_the_total():
    rule = five_stars()
    result = grade(rule, full(rule, S3_1=D(0), S3_2=D(15) - D(10)))
    assert result.total == D(85)
    assert result.rank == 4
    assert "S3" not in result.earned


def test_a_star_without_pass_mark_needs_all_its_points():
    rule = Rule(STARS, (DimensionSpec("A", "甲", (PointSpec("A1", D(5)),)),))
    assert grade(rule, {"A1": D(5)}).rank == 1
    assert grade(rule, {"A1": D("4.5")}).rank == 0


def test_a_failed_veto_item_gives_no_star_at_all():
    rule = five_stars()
    result = grade(rule, full(rule), vetoed=["S5-V"])
    assert result.rank == 0
    assert result.earned == ()
    assert result.vetoed_by == ("S5-V",)
    assert result.total == D(100)  # the points stay visible; only the grade is vetoed
    assert result.label == "No star"


def test_missing_scores_count_zero_and_are_listed():
    rule = five_stars()
    scores = full(rule)
    del scores["S2-2"]
    result = grade(rule, scores)
    assert result.missing == ("S2-2",)
    assert result.rank == 4


def test_bands_give_the_highest_band_the_total_reaches():
    rule = hundred_points()
    assert grade(rule, full(rule)).label == "优秀"
    assert grade(rule, full(rule, P1=D(0))).label == "优秀"  # exactly 90
    assert grade(rule, full(rule, P1=D(0), P2=D("0.01"))).label == "良好"  # 80.01
    assert grade(rule, full(rule, P1=D(0), P2=D(0), P3=D(0))).label == "合格"  # 70
    assert grade(rule, full(rule, P1=D(0), P2=D(0), P3=D(0), P4=D(0))).label == "合格"  # 60
    assert (
        grade(rule, full(rule, P1=D(0), P2=D(0), P3=D(0), P4=D(0), P5=D("9.99"))).label == "不合格"
    )
    assert grade(rule, {}).label == "不合格"


def test_bands_rank_counts_from_the_lowest():
    rule = hundred_points()
    assert grade(rule, full(rule)).rank == 4
    assert grade(rule, {}).rank == 1


def test_a_veto_puts_a_bands_subject_in_the_lowest_band():
    rule = hundred_points()
    result = grade(rule, full(rule), vetoed=["P0"])
    assert result.label == "不合格"
    assert result.rank == 1


def test_scores_outside_a_points_range_are_refused_by_code():
    rule = five_stars()
    problems = check_scores(
        rule, {"S1-1": D(11), "S1-2": D(-1), "S2-1": D("1.234"), "NOPE": D(1), "S2-2": D(10)}
    )
    assert sorted(p.code for p in problems) == ["NOPE", "S1-1", "S1-2", "S2-1"]
    assert "0 to 10" in next(p.message for p in problems if p.code == "S1-1")


def test_only_veto_items_can_be_marked_as_vetoed():
    rule = five_stars()
    assert check_scores(rule, {}, vetoed=["S5-V"]) == []
    assert [p.code for p in check_scores(rule, {}, vetoed=["S1-1"])] == ["S1-1"]


def test_quota_allows_at_most_the_share_rounded_down():
    quota = Quota(5, D(10))
    assert quota_limit(quota, 41) == 4
    assert quota_limit(quota, 9) == 0
    assert quota_limit(quota, 10) == 1
    assert quota_limit(Quota(5, D(100)), 3) == 3


def test_quota_check_names_the_subjects_at_the_quota_grade_when_over():
    rule = five_stars(Quota(5, D(10)))
    ranks = {f"b{i}": 3 for i in range(10)}
    ranks["b0"] = 5
    check = check_quota(rule, ranks)
    assert check is not None and check.ok and check.limit == 1
    ranks["b1"] = 5
    check = check_quota(rule, ranks)
    assert check is not None and not check.ok
    assert check.over == ["b0", "b1"]


def test_no_quota_no_check():
    assert check_quota(five_stars(), {"a": 5}) is None


def test_movements_against_last_year():
    assert movement(None, 3) == Movement.NEW
    assert movement(3, 4) == Movement.PROMOTED
    assert movement(4, 4) == Movement.KEPT
    assert movement(4, 2) == Movement.DEMOTED
    assert movement(2, 0) == Movement.LOST
    assert movement(2, None) == Movement.LOST
    assert movement(None, None) is None
    assert movement(0, 0) is None


def test_a_rule_that_cannot_grade_says_why():
    assert check_rule(five_stars()) == []
    assert check_rule(hundred_points()) == []
    too_high = Rule(STARS, (DimensionSpec("A", "甲", (PointSpec("A1", D(5)),), D(6)),))
    assert "above its points" in check_rule(too_high)[0]
    no_floor = Rule(BANDS, hundred_points().dimensions, bands=((D(90), "优秀"),))
    assert "start at 0" in check_rule(no_floor)[0]
    bad_quota = five_stars(Quota(6, D(10)))
    assert "quota" in check_rule(bad_quota)[0]
    assert check_rule(Rule(STARS, ())) != []


scores_strategy = st.dictionaries(
    st.sampled_from([f"S{i}-{j}" for i in range(1, 6) for j in (1, 2)]),
    st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False),
)


@given(scores_strategy, st.booleans())
def test_the_grade_is_the_count_of_stars_at_their_mark_and_never_above_five(scores, vetoed):
    rule = five_stars()
    assert check_scores(rule, scores) == []
    result = grade(rule, scores, vetoed=["S5-V"] if vetoed else [])
    assert 0 <= result.rank <= 5
    assert result.total == sum(scores.values(), D(0))
    expected = 0 if vetoed else sum(1 for v in result.by_dimension.values() if v >= D(16))
    assert result.rank == expected


@given(scores_strategy, st.sampled_from([f"S{i}-{j}" for i in range(1, 6) for j in (1, 2)]))
def test_more_points_never_lower_the_grade(scores, code):
    rule = five_stars()
    before = grade(rule, scores)
    raised = dict(scores)
    raised[code] = D(10)
    assert grade(rule, raised).rank >= before.rank
