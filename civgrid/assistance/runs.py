"""Monthly payment runs (月度发放): draft from the roll, compare, approve, pay out and lock.

- **Draft** (`draft_run`): one line per enrolment paid in the month (rules.paid_in_month) at
  the standard in force (rules.monthly_amount), plus *adjustments*: for every earlier month
  that a locked run of the same programme and district paid, what the enrolment is owed for
  it now minus what locked runs paid for it. A backdated approval is paid its missed months, a
  death reported late is taken back, a standard corrected afterwards is made good — locked
  runs themselves never change. Drafting again replaces the draft's lines in one transaction.
- A run can only be drafted when every earlier run of its programme and district is locked:
  adjustments are counted against money that has left, never against a run still moving.
- **Approve** (`approve_run`): 民政, once; refused when the roll changed since the draft (draft
  again). Name and account are copied to the lines then.
- **Payment file** (`payment_file`): the first one locks the run; later ones are the same
  lines again. Each is a run event (who, when).
- Never paid twice: one run per programme, district and month, one line per person and month
  in a run (unique constraints), and the month of a line is paid only by its own run or by an
  adjustment that counts what was already paid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.assistance import rules
from civgrid.assistance.actions import actor_name
from civgrid.assistance.models import (
    Beneficiary,
    BeneficiaryEvent,
    PaymentLine,
    PaymentRun,
    PaymentRunEvent,
    Programme,
    Standard,
)
from civgrid.assistance.queries import civil_affairs_programme_ids
from civgrid.cases.errors import IllegalTransition, InvalidInput, NotAllowed
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region

R = PaymentRun.Status
# How far back adjustments look: corrections older than this are a matter for the bureau.
LOOKBACK_MONTHS = 24
# Changes to the roll that make a draft stale (reads and check visits do not).
ROLL_CHANGES = (
    BeneficiaryEvent.Kind.APPROVED,
    BeneficiaryEvent.Kind.ENDED,
    BeneficiaryEvent.Kind.ACCOUNT_CHANGED,
    BeneficiaryEvent.Kind.IMPORTED,
)


# --- who sees and runs payments ----------------------------------------------------------------


def runs_for_user(user: AnyUser | None) -> QuerySet[PaymentRun]:
    """民政 sees its programmes' runs, the office every run, both inside their scope."""
    scope = scope_of(user)
    if role_of(user) == Role.OFFICE:
        return PaymentRun.objects.filter(scope.q("district"))
    ids = civil_affairs_programme_ids(user)
    if not ids:
        return PaymentRun.objects.none()
    return PaymentRun.objects.filter(scope.q("district"), programme_id__in=ids)


def get_run_for_user(user: AnyUser | None, pk: int | str) -> PaymentRun:
    try:
        return runs_for_user(user).select_related("programme", "district").get(pk=int(pk))
    except (PaymentRun.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such payment run.")) from exc


def may_pay(user: AnyUser | None, programme: Programme, district: Region) -> bool:
    return programme.pk in civil_affairs_programme_ids(user) and scope_of(user).covers(district)


def districts_for(user: AnyUser | None) -> list[Region]:
    return list(scope_of(user).regions().filter(level=Region.Level.DISTRICT).order_by("code"))


# --- computing a month ---------------------------------------------------------------------------


@dataclass
class Owed:
    beneficiary: Beneficiary
    for_month: dt.date
    kind: str
    amount: Decimal
    persons: int


def _owed(b: Beneficiary, standards: list[Standard], month: dt.date) -> Decimal:
    # An end only counts once 民政 approved it; until then the proposal is not a fact.
    ends_on = b.ends_on if b.status == Beneficiary.Status.ENDED else None
    if not rules.paid_in_month(b.starts_on, ends_on, month):
        return Decimal("0.00")
    return rules.monthly_amount(
        standards,
        birth_on=b.birth_on,
        persons=b.persons,
        per_person=b.programme.basis == Programme.Basis.PERSON,
        month=month,
    )


def compute_month(programme: Programme, district: Region, month: dt.date) -> list[Owed]:
    """The lines a run of `month` must hold (see the module's docstring)."""
    standards = list(programme.standards.all())
    first_lookback = month
    for _i in range(LOOKBACK_MONTHS):
        first_lookback = rules.previous_month(first_lookback)
    locked_months = set(
        PaymentRun.objects.filter(
            programme=programme,
            district=district,
            status=R.LOCKED,
            month__gte=first_lookback,
            month__lt=month,
        ).values_list("month", flat=True)
    )
    paid: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for bid, for_month, total in (
        PaymentLine.objects.filter(
            run__programme=programme, run__district=district, run__status=R.LOCKED
        )
        .filter(for_month__in=locked_months)
        .values_list("beneficiary_id", "for_month")
        .annotate(total=Sum("amount"))
    ):
        paid[(bid, for_month)] = total
    roll = (
        Beneficiary.objects.filter(
            programme=programme,
            household__grid__path__startswith=district.path,
            status__in=Beneficiary.PAID,
            starts_on__lte=rules.month_end(month),
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first_lookback))
        .select_related("programme")
        .order_by("household__code", "id_number")
    )
    owed: list[Owed] = []
    for b in roll:
        amount = _owed(b, standards, month)
        if amount:
            owed.append(Owed(b, month, PaymentLine.Kind.REGULAR, amount, b.persons))
        for earlier in sorted(locked_months):
            difference = _owed(b, standards, earlier) - paid.get((b.pk, earlier), Decimal(0))
            if difference:
                owed.append(Owed(b, earlier, PaymentLine.Kind.ADJUSTMENT, difference, b.persons))
    return owed


# --- the actions on a run ---------------------------------------------------------------------------


def _event(run: PaymentRun, kind: str, actor: User, now: dt.datetime, **data: object) -> None:
    PaymentRunEvent.objects.create(
        run=run, kind=kind, at=now, by=actor, by_name=actor_name(actor), data=data
    )


def _totals(run: PaymentRun) -> None:
    lines = run.lines.all()
    regular = lines.filter(kind=PaymentLine.Kind.REGULAR)
    run.households = regular.values("beneficiary__household_id").distinct().count()
    run.persons = int(regular.aggregate(n=Sum("persons"))["n"] or 0)
    run.amount = lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def draft_run(
    programme: Programme,
    month: dt.date,
    *,
    actor: User,
    district: Region | None = None,
    now: dt.datetime | None = None,
) -> PaymentRun:
    """Draft (or draft again) the run of `month`; idempotent: the same roll gives the same
    lines, a second call replaces the first's."""
    now = now or timezone.now()
    month = rules.month_start(month)
    if district is None:
        choices = districts_for(actor)
        if len(choices) != 1:
            raise InvalidInput(_("Choose the district."), "district")
        district = choices[0]
    if not may_pay(actor, programme, district):
        raise NotAllowed(_("Only 民政 of this programme prepares its payments."))
    if (
        PaymentRun.objects.filter(programme=programme, district=district, month__lt=month)
        .exclude(status=R.LOCKED)
        .exists()
    ):
        raise IllegalTransition(_("An earlier run is not paid out yet: finish it first."))
    try:
        with transaction.atomic():
            run, _created = PaymentRun.objects.select_for_update().get_or_create(
                programme=programme,
                district=district,
                month=month,
                defaults={"drafted_at": now, "drafted_by": actor},
            )
            if run.status != R.DRAFT:
                raise IllegalTransition(_("This month's run is already approved."))
            run.lines.all().delete()
            owed = compute_month(programme, district, month)
            _refuse_twice(owed)
            PaymentLine.objects.bulk_create(
                [
                    PaymentLine(
                        run=run,
                        beneficiary=o.beneficiary,
                        id_number=o.beneficiary.id_number,
                        for_month=o.for_month,
                        kind=o.kind,
                        persons=o.persons,
                        amount=o.amount,
                    )
                    for o in owed
                ],
                batch_size=500,
            )
            run.drafted_at, run.drafted_by = now, actor
            _totals(run)
            run.save()
            _event(run, PaymentRunEvent.Kind.DRAFTED, actor, now, amount=str(run.amount))
    except IntegrityError as exc:
        # Two drafts of the same new month at once: the other one made the run.
        raise IllegalTransition(_("This run is being drafted by someone else.")) from exc
    return run


def _refuse_twice(owed: list[Owed]) -> None:
    """Two enrolments of one person owed the same month (ended and enrolled again): 民政 must
    settle which one pays before the run is drafted; the database's unique key is the backstop."""
    seen: set[tuple[str, dt.date]] = set()
    twice = []
    for o in owed:
        key = (o.beneficiary.id_number, o.for_month)
        if key in seen:
            twice.append(f"{o.beneficiary.masked_id} {o.for_month:%Y-%m}")
        seen.add(key)
    if twice:
        raise InvalidInput(
            _("A person would be paid twice for one month: %(who)s") % {"who": ", ".join(twice)}
        )


def roll_changed_since(run: PaymentRun) -> bool:
    return (
        BeneficiaryEvent.objects.filter(
            beneficiary__programme=run.programme,
            beneficiary__household__grid__path__startswith=run.district.path,
            kind__in=ROLL_CHANGES,
            at__gt=run.drafted_at,
        ).exists()
        or run.programme.standards.filter(created_at__gt=run.drafted_at).exists()
    )


def approve_run(run: PaymentRun, *, actor: User, now: dt.datetime | None = None) -> PaymentRun:
    now = now or timezone.now()
    with transaction.atomic():
        run = (
            PaymentRun.objects.select_for_update()
            .select_related("programme", "district")
            .get(pk=run.pk)
        )
        if not may_pay(actor, run.programme, run.district):
            raise NotAllowed(_("Only 民政 of this programme approves its payments."))
        if run.status != R.DRAFT:
            raise IllegalTransition(_("This run is already approved."))
        if roll_changed_since(run):
            raise IllegalTransition(_("The roll changed after this draft: draft it again."))
        # One UPDATE per run, not one per line: the names and accounts as they are now.
        person = Beneficiary.objects.filter(pk=OuterRef("beneficiary_id"))
        run.lines.update(
            name=Subquery(person.values("name")[:1]),
            bank_name=Subquery(person.values("bank_name")[:1]),
            bank_account=Subquery(person.values("bank_account")[:1]),
        )
        run.status = R.APPROVED
        run.approved_at, run.approved_by = now, actor
        run.save(update_fields=["status", "approved_at", "approved_by"])
        _event(run, PaymentRunEvent.Kind.APPROVED, actor, now, amount=str(run.amount))
    return run


def payment_file(run: PaymentRun, *, actor: User, now: dt.datetime | None = None) -> bytes:
    """The bank's payment file of an approved run; the first one locks the run."""
    from civgrid.assistance.paymentfile import write

    now = now or timezone.now()
    with transaction.atomic():
        run = (
            PaymentRun.objects.select_for_update()
            .select_related("programme", "district")
            .get(pk=run.pk)
        )
        if not may_pay(actor, run.programme, run.district):
            raise NotAllowed(_("Only 民政 of this programme writes its payment file."))
        if run.status == R.DRAFT:
            raise IllegalTransition(_("Approve the run before writing its payment file."))
        if run.status == R.APPROVED:
            run.status = R.LOCKED
            run.locked_at, run.locked_by = now, actor
            run.save(update_fields=["status", "locked_at", "locked_by"])
        _event(run, PaymentRunEvent.Kind.EXPORTED, actor, now)
    return write(run)


# --- what changed against last month -------------------------------------------------------------


@dataclass
class Changes:
    new: list[PaymentLine] = field(default_factory=list)
    stopped: list[PaymentLine] = field(default_factory=list)  # last month's lines
    changed: list[tuple[PaymentLine, Decimal]] = field(default_factory=list)  # (line, before)
    adjustments: list[PaymentLine] = field(default_factory=list)


def changes(run: PaymentRun) -> Changes:
    """New, stopped and changed regular payments against the previous month's run."""
    regular = PaymentLine.Kind.REGULAR
    now_lines = {
        line.beneficiary_id: line
        for line in run.lines.filter(kind=regular).select_related("beneficiary")
    }
    previous = PaymentRun.objects.filter(
        programme=run.programme, district=run.district, month=rules.previous_month(run.month)
    ).first()
    before = (
        {
            line.beneficiary_id: line
            for line in previous.lines.filter(kind=regular).select_related("beneficiary")
        }
        if previous
        else {}
    )
    result = Changes()
    for bid, line in now_lines.items():
        if bid not in before:
            result.new.append(line)
        elif before[bid].amount != line.amount:
            result.changed.append((line, before[bid].amount))
    result.stopped = [line for bid, line in before.items() if bid not in now_lines]
    result.adjustments = list(
        run.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).select_related("beneficiary")
    )
    return result
