"""Every change to an inspection (检查操作): plan it, record a check, finish a site, complete it.

Each action takes a keyword-only `actor`, runs in one transaction with the inspection row
locked, validates before writing, and raises the ledger's errors (InvalidInput, NotAllowed,
IllegalTransition from civgrid.cases.actions) so pages and the API refuse them the same way.
A failed check becomes a case only through civgrid.cases.actions (report → register →
assign, or reported as fixed on the spot).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases import actions as case_actions
from civgrid.cases.actions import IllegalTransition, InvalidInput, NotAllowed
from civgrid.cases.models import Case, Source
from civgrid.cases.photos import PhotoInput
from civgrid.cases.reporting import report_case
from civgrid.inspections.models import (
    CheckAnswer,
    CheckResult,
    Finding,
    Inspection,
    InspectionSite,
    Kind,
    Outcome,
    Status,
)
from civgrid.inspections.queries import PLANNERS, TEAM_ROLES, is_on_team
from civgrid.inspections.sampling import SamplingError, draw_sample
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of
from civgrid.standards.models import ChecklistQuestion, Framework, Standard
from civgrid.territory.models import Region, Site

MAX_NAME = 200
MAX_NOTE = 2000
MAX_SITES = 2000
MAX_DAYS = 366


@dataclass
class Plan:
    inspection: Inspection
    warnings: list[str]


def _text(value: str | None, field: str, *, label: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s is required.") % {"label": label}, field)
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            _("%(label)s is too long (at most %(n)d characters).")
            % {"label": label, "n": MAX_NOTE},
            field,
        )
    return text


# --- planning -----------------------------------------------------------------------------


def plan_inspection(
    *,
    actor: User,
    name: str,
    kind: str,
    framework: Framework,
    starts_on: dt.date,
    ends_on: dt.date,
    team: Sequence[User],
    leader: User | None = None,
    sites: Sequence[Site] | None = None,
    sample_sizes: dict[str, object] | None = None,
    seed: int | None = None,
    region: Region | None = None,
    note: str = "",
) -> Plan:
    """Plan an inspection (制定检查计划) over chosen sites, or a sample per site kind.

    With `sample_sizes` ({kind: n or "all"}) the sites are drawn by sampling.draw_sample with
    `seed` (drawn at random and stored when not given), so the plan can be re-derived.
    Sites given by hand and sampled sites may be combined; each site is on the list once.
    """
    if role_of(actor) not in PLANNERS:
        raise NotAllowed(_("Only the campaign office and inspectors plan inspections."))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name is required."), "name")
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _("The name is too long (at most %(n)d characters).") % {"n": MAX_NAME}, "name"
        )
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown kind of inspection."), "kind")
    if ends_on < starts_on:
        raise InvalidInput(_("The inspection cannot end before it starts."), "ends_on")
    if (ends_on - starts_on).days > MAX_DAYS:
        raise InvalidInput(_("An inspection lasts at most a year."), "ends_on")
    note = _text(note, "note", label=_("Note"))
    members = list(dict.fromkeys(team))
    if not members:
        raise InvalidInput(_("Choose at least one inspector for the team."), "team")
    for member in members:
        if role_of(member) not in TEAM_ROLES:
            raise InvalidInput(
                _(
                    "%(name)s is not an inspector or campaign office staff and cannot be on the team."
                )
                % {"name": member.get_username()},
                "team",
            )
    if leader is not None and leader not in members:
        raise InvalidInput(_("The team leader must be on the team."), "leader")
    scope = scope_of(actor)
    if region is not None and not scope.covers(region):
        raise InvalidInput(_("This region lies outside your district."), "region")
    if region is None and not scope.is_everything:
        # A district office samples its own district, never the whole city.
        roots = list(scope.roots())
        if len(roots) == 1:
            region = roots[0]
    chosen: list[Site] = list(dict.fromkeys(sites or []))
    outside = [s for s in chosen if not scope.covers(s.grid)]
    if outside:
        raise InvalidInput(
            _("%(names)s lie outside your district.")
            % {"names": "、".join(s.name for s in outside[:5])},
            "sites",
        )
    warnings: list[str] = []
    if sample_sizes:
        if seed is None:
            seed = secrets.randbelow(2**31)
        if not 0 <= seed < 2**63:
            raise InvalidInput(_("The seed must be a whole number from 0."), "seed")
        try:
            sample = draw_sample(sample_sizes, seed=seed, region=region)
        except SamplingError as exc:
            raise InvalidInput(exc.message, exc.field) from exc
        warnings = sample.warnings()
        for site in sample.sites:
            if site not in chosen:
                chosen.append(site)
        sizes = {k: ("all" if v == "all" else int(v)) for k, v in sample_sizes.items()}  # type: ignore[call-overload]
    else:
        seed = None
        sizes = {}
    if not chosen:
        raise InvalidInput(_("Choose sites, or site kinds to sample."), "sites")
    for member in members:
        member_scope = scope_of(member)
        if not all(member_scope.covers(s.grid) for s in chosen):
            raise InvalidInput(
                _("%(name)s works for another district and cannot inspect these sites.")
                % {"name": member.get_username()},
                "team",
            )
    if len(chosen) > MAX_SITES:
        raise InvalidInput(
            _("At most %(n)d sites per inspection; split it into rounds.") % {"n": MAX_SITES},
            "sites",
        )
    covered = covered_kinds(framework)
    uncovered = [s for s in chosen if s.kind not in covered]
    if uncovered and len(uncovered) == len(chosen):
        raise InvalidInput(_("No standard of this framework applies to the sites chosen."), "sites")
    now = timezone.now()
    with transaction.atomic():
        inspection = Inspection.objects.create(
            name=name,
            kind=kind,
            framework=framework,
            starts_on=starts_on,
            ends_on=ends_on,
            region=region,
            leader=leader,
            sampling_seed=seed,
            sample_sizes=sizes,
            note=note,
            created_by=actor,
            created_at=now,
        )
        inspection.team.set(members)
        InspectionSite.objects.bulk_create(
            InspectionSite(inspection=inspection, site=site, order=i)
            for i, site in enumerate(chosen, start=1)
        )
    if uncovered:
        warnings.append(
            _("No standard applies at %(n)d of the sites (%(names)s): they have nothing to check.")
            % {"n": len(uncovered), "names": "、".join(s.name for s in uncovered[:5])}
        )
    return Plan(inspection, warnings)


def covered_kinds(framework: Framework) -> set[str]:
    """The site kinds at which at least one standard of the framework is checked."""
    kinds: set[str] = set()
    for site_kinds in framework.standards.values_list("site_kinds", flat=True):
        kinds.update(site_kinds or [])
    return kinds


# --- filling the checklist ----------------------------------------------------------------------


def _lock_open(inspection_site: InspectionSite, actor: User) -> tuple[Inspection, InspectionSite]:
    """Lock the inspection and the site row; refuse a completed inspection or a non-member."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection_site.inspection_id)
    locked = (
        InspectionSite.objects.select_for_update()
        .select_related("site__grid")
        .get(pk=inspection_site.pk)
    )
    if not is_on_team(actor, inspection) or role_of(actor) not in TEAM_ROLES:
        raise NotAllowed(_("Only the inspection team may record checks."))
    if not scope_of(actor).covers(locked.site.grid):
        raise NotAllowed(_("This site lies outside your district."))
    if inspection.status == Status.COMPLETED:
        raise IllegalTransition(
            _("This inspection is completed: its results can no longer change.")
        )
    return inspection, locked


def _coordinates(
    longitude: float | None, latitude: float | None, accuracy: float | None
) -> tuple[float | None, float | None, float | None]:
    if (longitude is None) != (latitude is None):
        raise InvalidInput(_("Give both longitude and latitude, or neither."), "longitude")
    if (
        longitude is not None
        and latitude is not None
        and not (-180 <= longitude <= 180 and -90 <= latitude <= 90)
    ):
        raise InvalidInput(_("The coordinates are out of range."), "longitude")
    if accuracy is not None and not 0 <= accuracy <= 100_000:
        raise InvalidInput(_("The GPS accuracy is out of range."), "accuracy")
    return longitude, latitude, accuracy


def client_key_for(inspection_site: InspectionSite, standard: Standard) -> str:
    """One case per failed (site of an inspection, standard), whatever the phone resends."""
    return f"inspection:{inspection_site.pk}:standard:{standard.pk}"


def record_check(
    inspection_site: InspectionSite,
    *,
    actor: User,
    standard: Standard,
    outcome: str,
    note: str = "",
    question: ChecklistQuestion | None = None,
    photos: Iterable[PhotoInput] | None = None,
    fixed_on_spot: bool = False,
    fix_note: str = "",
    longitude: float | None = None,
    latitude: float | None = None,
    accuracy: float | None = None,
) -> CheckResult:
    """Record the outcome of one standard at one site (检查记录), idempotent per pair.

    A FAIL puts exactly one case on the ledger: reported (source inspection, or self-check for
    回头看) with the photos, registered and assigned to the standard's lead unit (or, without
    one, the category's default unit) with the category's deadline — or, "fixed on the spot",
    reported and closed at once. Re-answering before the inspection completes updates the
    result and is kept in its answers; a failure already on the ledger cannot be turned into
    a pass here (the case is handled, or rejected, on the ledger).
    """
    if outcome not in Outcome.values:
        raise InvalidInput(_("Unknown outcome."), "outcome")
    note = _text(note, "note", label=_("Note"))
    longitude, latitude, accuracy = _coordinates(longitude, latitude, accuracy)
    photo_list = list(photos or [])
    if outcome != Outcome.FAIL:
        if photo_list:
            raise InvalidInput(_("Photos are taken of a failed item only."), "photos")
        if fixed_on_spot:
            raise InvalidInput(_("Only a failed item can be fixed on the spot."), "fixed_on_spot")
    if fixed_on_spot:
        fix_note = _text(fix_note, "fix_note", label=_("What was done"), required=True)
    with transaction.atomic():
        inspection, locked = _lock_open(inspection_site, actor)
        site = locked.site
        if standard.framework_id != inspection.framework_id:
            raise InvalidInput(_("This standard is not in the inspection's framework."), "standard")
        if site.kind not in (standard.site_kinds or []):
            raise InvalidInput(
                _("Standard %(code)s is not checked at a site of kind %(kind)s.")
                % {"code": standard.code, "kind": site.get_kind_display()},
                "standard",
            )
        if question is not None and question.standard_id != standard.pk:
            raise InvalidInput(_("This question belongs to another standard."), "question")
        now = timezone.now()
        result = CheckResult.objects.filter(inspection_site=locked, standard=standard).first()
        finding = Finding.objects.filter(check_result=result).first() if result else None
        if finding is not None and outcome != Outcome.FAIL:
            raise IllegalTransition(
                _(
                    "This failure is already on the ledger as %(code)s: handle it there "
                    "(the office can reject a case recorded by mistake)."
                )
                % {"code": finding.case.tracking_code},
                "outcome",
            )
        if result is None:
            result = CheckResult(inspection_site=locked, standard=standard, revision=0)
        result.outcome = outcome
        result.note = note
        result.question = question if outcome == Outcome.FAIL else None
        if finding is None:
            result.fixed_on_spot = fixed_on_spot
        result.answered_by = actor
        result.answered_at = now
        result.revision += 1
        result.save()
        CheckAnswer.objects.create(
            result=result, outcome=outcome, note=note, answered_by=actor, answered_at=now
        )
        if outcome == Outcome.FAIL and finding is None:
            _file_case(
                inspection,
                locked,
                result,
                actor=actor,
                photos=photo_list,
                fix_note=fix_note,
                longitude=longitude,
                latitude=latitude,
                now=now,
            )
        _visit(inspection, locked, actor, now, longitude, latitude, accuracy)
    return result


def _description(inspection: Inspection, result: CheckResult) -> str:
    standard = result.standard
    parts = [
        _("%(inspection)s — standard %(code)s: %(text)s")
        % {"inspection": inspection.name, "code": standard.code, "text": standard.text}
    ]
    if result.question is not None:
        parts.append(_("Failed: %(question)s") % {"question": result.question.text})
    if result.note:
        parts.append(result.note)
    return "\n".join(parts)[: case_actions.MAX_TEXT]


def _file_case(
    inspection: Inspection,
    inspection_site: InspectionSite,
    result: CheckResult,
    *,
    actor: User,
    photos: list[PhotoInput],
    fix_note: str,
    longitude: float | None,
    latitude: float | None,
    now: dt.datetime,
) -> Case:
    standard = result.standard
    site = inspection_site.site
    if standard.category is None:
        raise InvalidInput(
            _(
                "Standard %(code)s has no problem category, so a failure cannot go on the "
                "ledger: the campaign office must complete the framework first."
            )
            % {"code": standard.code},
            "standard",
        )
    unit = standard.lead_unit or standard.category.default_unit
    if unit is None and not result.fixed_on_spot:
        raise InvalidInput(
            _(
                "Standard %(code)s has no lead unit (and its category no default unit), so the "
                "failure cannot be assigned: the campaign office must complete the framework "
                "first, or record it as fixed on the spot."
            )
            % {"code": standard.code},
            "standard",
        )
    if longitude is None:
        longitude, latitude = site.longitude, site.latitude
    source = Source.SELF_CHECK if inspection.kind == Kind.SELF_CHECK else Source.INSPECTION
    case, created = report_case(
        actor=actor,
        source=source,
        category=standard.category,
        description=_description(inspection, result),
        site=site,
        address=site.address,
        longitude=longitude,
        latitude=latitude,
        photos=photos,
        client_key=client_key_for(inspection_site, standard),
        fixed_on_spot=result.fixed_on_spot,
        fix_note=fix_note,
    )
    if created and not result.fixed_on_spot:
        assert unit is not None
        case = case_actions.register(case, actor=actor, expected_version=case.version)
        case = case_actions.assign(
            case,
            actor=actor,
            expected_version=case.version,
            unit=unit,
            note=_("Found at inspection %(name)s.") % {"name": inspection.name},
        )
    Finding.objects.create(
        case=case,
        standard=standard,
        site=site,
        inspection=inspection,
        check_result=result,
        created_at=now,
    )
    return case


def _visit(
    inspection: Inspection,
    inspection_site: InspectionSite,
    actor: User,
    now: dt.datetime,
    longitude: float | None,
    latitude: float | None,
    accuracy: float | None,
) -> None:
    """The first answer starts the inspection and records who visited; the best GPS fix of the
    phone at the site is kept."""
    if inspection.status == Status.PLANNED:
        inspection.status = Status.IN_PROGRESS
        inspection.started_at = now
        inspection.save(update_fields=["status", "started_at"])
    fields = []
    if inspection_site.visited_at is None:
        inspection_site.visited_at = now
        inspection_site.visited_by = actor
        fields += ["visited_at", "visited_by"]
    better = inspection_site.longitude is None or (
        accuracy is not None
        and (inspection_site.accuracy is None or accuracy < inspection_site.accuracy)
    )
    if longitude is not None and better:
        inspection_site.longitude = longitude
        inspection_site.latitude = latitude
        inspection_site.accuracy = accuracy
        fields += ["longitude", "latitude", "accuracy"]
    if fields:
        inspection_site.save(update_fields=fields)


def missing_standards(inspection_site: InspectionSite) -> list[str]:
    """Codes of the applicable standards not answered yet at this site (framework order)."""
    answered = set(inspection_site.results.values_list("standard_id", flat=True))
    kind = inspection_site.site.kind
    rows = (
        Standard.objects.filter(framework_id=inspection_site.inspection.framework_id)
        .order_by("content__item__order", "content__order", "order", "code")
        .values_list("pk", "code", "site_kinds")
    )
    return [code for pk, code, kinds in rows if kind in (kinds or []) and pk not in answered]


def complete_site(inspection_site: InspectionSite, *, actor: User) -> InspectionSite:
    """Site done (本点位检查完毕): every applicable standard has an answer."""
    with transaction.atomic():
        inspection, locked = _lock_open(inspection_site, actor)
        missing = missing_standards(locked)
        if missing:
            raise InvalidInput(
                _("%(n)d standards are not answered yet, e.g. %(code)s.")
                % {"n": len(missing), "code": missing[0]},
                "standard",
            )
        if locked.status == InspectionSite.State.DONE:
            return locked
        now = timezone.now()
        locked.status = InspectionSite.State.DONE
        fields = ["status"]
        if locked.visited_at is None:
            locked.visited_at, locked.visited_by = now, actor
            fields += ["visited_at", "visited_by"]
        locked.save(update_fields=fields)
        if inspection.status == Status.PLANNED:
            inspection.status = Status.IN_PROGRESS
            inspection.started_at = now
            inspection.save(update_fields=["status", "started_at"])
    return locked


def complete_inspection(inspection: Inspection, *, actor: User) -> Inspection:
    """Complete the round (检查完成): every site done; results are final from now on."""
    role = role_of(actor)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if role != Role.OFFICE and not (role in TEAM_ROLES and is_on_team(actor, locked)):
            raise NotAllowed(_("Only the campaign office or the team completes an inspection."))
        if locked.status == Status.COMPLETED:
            raise IllegalTransition(_("This inspection is already completed."))
        pending = locked.sites.exclude(status=InspectionSite.State.DONE).count()
        if pending:
            raise IllegalTransition(_("%(n)d sites are not done yet.") % {"n": pending}, "sites")
        now = timezone.now()
        locked.status = Status.COMPLETED
        locked.completed_at = now
        fields = ["status", "completed_at"]
        if locked.started_at is None:
            locked.started_at = now
            fields.append("started_at")
        locked.save(update_fields=fields)
    return locked
