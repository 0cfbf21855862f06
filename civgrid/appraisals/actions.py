"""Every change to appraisal schemes: import (a draft), publish, start a new version.

Each action checks the actor (the campaign office whose scope holds the scheme's district; a
scheme of the whole city is the city office's), runs in one transaction with the scheme row
locked, refuses with `AppraisalError` before writing anything, and writes a `SchemeEvent`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.appraisals import branches, grading
from civgrid.appraisals.excel import Problem, SchemePlan, load_workbook, validate_scheme
from civgrid.appraisals.models import (
    Band,
    Criterion,
    Dimension,
    PartyBranch,
    ReviewLevel,
    Scheme,
    SchemeEvent,
    ScoringPoint,
)
from civgrid.lib.importing import ImportOutcome
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import Scope, scope_of
from civgrid.territory.models import Region

log = logging.getLogger(__name__)


class AppraisalError(Exception):
    """An appraisal action refused; the message is for the user. Nothing was written."""


class NotAllowed(AppraisalError):
    pass


def _user(actor: AnyUser | None) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _name(actor: AnyUser | None) -> str:
    person = get_person(actor)
    if person is not None:
        return person.name
    return actor.get_username() if actor is not None and actor.is_authenticated else ""


def may_manage(actor: AnyUser | None, scheme: Scheme | None = None) -> bool:
    """The office keeps schemes: a district office those of its district, the city office
    (no region assigned) every scheme, the city's own included."""
    if role_of(actor) != Role.OFFICE:
        return False
    if scheme is None:
        return True
    scope = scope_of(actor)
    return scope.is_everything if scheme.region is None else scope.covers(scheme.region)


def home_region(actor: AnyUser | None) -> Region | None:
    """The district a new scheme of this office belongs to (None: the city office's)."""
    scope = scope_of(actor)
    if scope.is_everything:
        return None
    roots = list(scope.roots())
    return roots[0] if len(roots) == 1 else None


def _event(scheme: Scheme, kind: str, actor: AnyUser | None, note: str = "") -> None:
    SchemeEvent.objects.create(
        scheme=scheme,
        kind=kind,
        at=timezone.now(),
        by=_user(actor),
        by_name=_name(actor),
        note=note,
    )


# --- import -----------------------------------------------------------------------------


@dataclass
class SchemeImportResult(ImportOutcome):
    scheme: Scheme | None = None
    created: bool = False


def import_scheme(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> SchemeImportResult:
    """Read a scheme workbook into a draft (考评方案导入). The draft of the same code is
    replaced; when only published versions exist, the next version is created. All or
    nothing: any error in any sheet and nothing is written."""
    if actor is not None and not may_manage(actor):
        raise NotAllowed(_("Only the campaign office keeps appraisal schemes."))
    if isinstance(data, bytes | bytearray):
        workbook, problem = load_workbook(bytes(data))
        if problem is not None:
            return SchemeImportResult(problems=[problem], dry_run=dry_run)
    else:
        workbook = data
    plan = validate_scheme(workbook)
    result = SchemeImportResult(problems=plan.problems, dry_run=dry_run)
    if result.errors:
        return result
    with transaction.atomic():
        existing = list(Scheme.objects.select_for_update().filter(code=plan.code))
        if actor is not None and any(not may_manage(actor, s) for s in existing):
            result.problems.append(
                Problem(
                    "方案",
                    None,
                    "code",
                    _("Scheme %(code)s belongs to another office.") % {"code": plan.code},
                )
            )
            return result
        draft = next((s for s in existing if s.is_draft), None)
        if draft is None:
            version = max((s.version for s in existing), default=0) + 1
            draft = Scheme(
                code=plan.code,
                version=version,
                created_at=timezone.now(),
                created_by=_user(actor),
                region=existing[0].region if existing else home_region(actor),
            )
            result.created = True
        _write(draft, plan)
        # What would stop publishing is shown now, as warnings: a draft may be imported again.
        for message in grading.check_rule(grading.rule_of(draft)):
            result.problems.append(Problem("考评标准", None, "", message, "warning"))
        _event(draft, "imported", actor, note=f"{len(plan.points)} scoring points")
        result.scheme = draft
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        log.info("scheme %s v%d imported by %s", draft.code, draft.version, _name(actor))
    return result


def _write(scheme: Scheme, plan: SchemePlan) -> None:
    scheme.name = plan.name
    scheme.subject_kind = plan.subject_kind
    scheme.rule = plan.rule
    scheme.quota_rank = plan.quota_rank
    scheme.quota_percent = plan.quota_percent
    scheme.description = plan.description
    scheme.save()
    scheme.dimensions.all().delete()  # a draft's tree is replaced whole
    scheme.levels.all().delete()
    scheme.bands.all().delete()
    dimensions: dict[str, Dimension] = {}
    criteria: dict[tuple[str, str], Criterion] = {}
    points = []
    for order, row in enumerate(plan.points):
        dimension = dimensions.get(row.dimension_code)
        if dimension is None:
            dimension = dimensions[row.dimension_code] = Dimension.objects.create(
                scheme=scheme,
                code=row.dimension_code,
                name=row.dimension_name,
                pass_mark=row.pass_mark,
                order=len(dimensions),
            )
        key = (row.dimension_code, row.criterion_code)
        criterion = criteria.get(key)
        if criterion is None:
            criterion = criteria[key] = Criterion.objects.create(
                dimension=dimension,
                code=row.criterion_code,
                name=row.criterion_name,
                order=len(criteria),
            )
        points.append(
            ScoringPoint(
                criterion=criterion,
                scheme=scheme,
                code=row.code,
                text=row.text,
                max_points=row.max_points,
                evidence=row.evidence,
                evidence_kind=row.evidence_kind,
                is_veto=row.is_veto,
                order=order,
            )
        )
    ScoringPoint.objects.bulk_create(points)
    ReviewLevel.objects.bulk_create(
        ReviewLevel(scheme=scheme, order=r.order, name=r.name, by=r.by, unit_id=r.unit_id)
        for r in plan.levels
    )
    Band.objects.bulk_create(
        Band(scheme=scheme, label=label, min_score=score) for label, score in plan.bands
    )


# --- publish and new version ------------------------------------------------------------


def _locked(scheme: Scheme, actor: AnyUser | None) -> Scheme:
    locked = (
        Scheme.objects.select_for_update(of=("self",)).select_related("region").get(pk=scheme.pk)
    )
    if actor is not None and not may_manage(actor, locked):  # None: the command line
        raise NotAllowed(_("Only the office that keeps this scheme may change it."))
    return locked


def publish_scheme(scheme: Scheme, *, actor: AnyUser | None) -> Scheme:
    """Freeze a draft so cycles can use it; an earlier published version is retired."""
    with transaction.atomic():
        scheme = _locked(scheme, actor)
        if not scheme.is_draft:
            raise AppraisalError(_("Only a draft can be published."))
        problems = grading.check_rule(grading.rule_of(scheme))
        if not scheme.levels.exists():
            problems.append(_("The scheme needs a review level."))
        if problems:
            raise AppraisalError(" ".join(problems))
        now = timezone.now()
        Scheme.objects.filter(code=scheme.code, status=Scheme.Status.PUBLISHED).update(
            status=Scheme.Status.RETIRED
        )
        scheme.status = Scheme.Status.PUBLISHED
        scheme.published_at = now
        scheme.save(update_fields=["status", "published_at"])
        _event(scheme, "published", actor)
    return scheme


def new_version(scheme: Scheme, *, actor: AnyUser | None) -> Scheme:
    """A draft copy of a published scheme, numbered after the last version of its code."""
    with transaction.atomic():
        scheme = _locked(scheme, actor)
        if Scheme.objects.filter(code=scheme.code, status=Scheme.Status.DRAFT).exists():
            raise AppraisalError(_("Scheme %(code)s already has a draft.") % {"code": scheme.code})
        last = Scheme.objects.filter(code=scheme.code).aggregate(v=Max("version"))["v"] or 0
        copy = Scheme.objects.create(
            code=scheme.code,
            version=last + 1,
            name=scheme.name,
            subject_kind=scheme.subject_kind,
            rule=scheme.rule,
            quota_rank=scheme.quota_rank,
            quota_percent=scheme.quota_percent,
            region=scheme.region,
            description=scheme.description,
            created_at=timezone.now(),
            created_by=_user(actor),
        )
        for dimension in scheme.dimensions.prefetch_related("criteria__points"):
            d = Dimension.objects.create(
                scheme=copy,
                code=dimension.code,
                name=dimension.name,
                order=dimension.order,
                pass_mark=dimension.pass_mark,
            )
            for criterion in dimension.criteria.all():
                c = Criterion.objects.create(
                    dimension=d, code=criterion.code, name=criterion.name, order=criterion.order
                )
                ScoringPoint.objects.bulk_create(
                    ScoringPoint(
                        criterion=c,
                        scheme=copy,
                        code=p.code,
                        text=p.text,
                        max_points=p.max_points,
                        evidence=p.evidence,
                        evidence_kind=p.evidence_kind,
                        is_veto=p.is_veto,
                        order=p.order,
                    )
                    for p in criterion.points.all()
                )
        ReviewLevel.objects.bulk_create(
            ReviewLevel(scheme=copy, order=lv.order, name=lv.name, by=lv.by, unit_id=lv.unit_id)
            for lv in scheme.levels.all()
        )
        Band.objects.bulk_create(
            Band(scheme=copy, label=b.label, min_score=b.min_score) for b in scheme.bands.all()
        )
        _event(copy, "new_version", actor, note=f"from v{scheme.version}")
    return copy


# --- the party-branch register ----------------------------------------------------------


@dataclass
class BranchImportResult(ImportOutcome):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_branches(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> BranchImportResult:
    """Create or update party branches from the register workbook (党支部名册), matched by
    支部编码. The office imports the branches of its scope; all or nothing."""
    if actor is not None and role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office keeps the party-branch register."))
    scope = scope_of(actor) if actor is not None else Scope.everything()
    if isinstance(data, bytes | bytearray):
        workbook, problem = branches.load_workbook(bytes(data))
        if problem is not None:
            return BranchImportResult(problems=[problem], dry_run=dry_run)
    else:
        workbook = data
    rows, problems = branches.validate_branches(workbook, scope)
    result = BranchImportResult(problems=problems, dry_run=dry_run)
    if result.errors:
        return result
    now = timezone.now()
    with transaction.atomic():
        existing = {
            b.code: b
            for b in PartyBranch.objects.select_for_update(of=("self",))
            .select_related("region")
            .filter(code__in=[r.code for r in rows])
        }
        for r in rows:
            found = existing.get(r.code)
            if found is not None and not scope.covers(found.region):
                message = _("Branch %(code)s belongs to another district.") % {"code": r.code}
                result.problems.append(branches.Problem(r.row, r.code, "code", message))
        if result.errors:
            return result
        for r in rows:
            found = existing.get(r.code)
            if found is None:
                PartyBranch.objects.create(code=r.code, updated_at=now, **r.values)
                result.created.append(r.code)
            else:
                for name, value in r.values.items():
                    setattr(found, name, value)
                found.updated_at = now
                found.save(update_fields=[*r.values, "updated_at"])
                result.updated.append(r.code)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        log.info(
            "party branches imported by %s: %d created, %d updated",
            _name(actor),
            len(result.created),
            len(result.updated),
        )
    return result
