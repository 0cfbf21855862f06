"""Assistance rolls (社会救助与补贴名册): programmes, their standards, the people enrolled.

- A `Programme` (低保, 特困供养, 高龄补贴, 孤儿, 残疾人两项补贴…) is paid by a responsible unit
  (民政) per person or per household, at monthly `Standard`s that change by date (the history
  is kept: a standard is never edited, a new one starts on a date) and, for 高龄补贴, by age band.
- A `Beneficiary` is one person (or household, through its head) enrolled in a programme,
  linked to the household register of civgrid.visits. The community proposes, 民政 approves;
  the end (death, moving out, no longer eligible) is proposed and then approved the same way.
- Every change is a `BeneficiaryEvent` with who and when, never edited or deleted; reading a
  full ID or bank account number is an event too.

Facts about one row live here; every change goes through civgrid.assistance.actions, the
pure rules (ages, bands, amounts) are in civgrid.assistance.rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.lib import idnumbers
from civgrid.lib.records import AppendOnly
from civgrid.org.models import Unit
from civgrid.visits.models import Household, VisitPlan


class Programme(models.Model):
    """An assistance programme (救助/补贴项目) and who qualifies for it."""

    class Kind(models.TextChoices):
        DIBAO_URBAN = "dibao_urban", _("Urban minimum living allowance (城市低保)")
        DIBAO_RURAL = "dibao_rural", _("Rural minimum living allowance (农村低保)")
        TEKUN = "tekun", _("Support for the destitute (特困供养)")
        ELDERLY = "elderly", _("Old-age allowance (高龄补贴)")
        ORPHAN = "orphan", _("Orphan allowance (孤儿生活补助)")
        DISABILITY = "disability", _("Disability allowances (残疾人两项补贴)")
        OTHER = "other", _("Other (其他)")

    class Basis(models.TextChoices):
        PERSON = "person", _("per person (按人)")
        HOUSEHOLD = "household", _("per household (按户)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    basis = models.CharField(_("paid"), max_length=10, choices=Basis.choices, default=Basis.PERSON)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit (民政)"),
        on_delete=models.PROTECT,
        related_name="assistance_programmes",
    )
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("below age"), null=True, blank=True, help_text=_("Eligible while younger than this.")
    )
    rules = models.TextField(
        _("who qualifies"), blank=True, help_text=_("The conditions the clerk checks.")
    )
    check_frequency = models.CharField(
        _("check visit"),
        max_length=20,
        choices=VisitPlan.Frequency.choices,
        blank=True,
        help_text=_("How often a grid worker must see each beneficiary; empty for never."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assistance programme")
        verbose_name_plural = _("assistance programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """A monthly standard (保障标准) of a programme from a date, for an age band (or all ages).

    Never edited: a raise is a new row from its first day, so the amount in force on any past
    date can be recomputed (adjustments of locked payment runs depend on it).
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="standards"
    )
    valid_from = models.DateField(_("in force from"))
    min_age = models.PositiveSmallIntegerField(_("from age"), default=0)
    max_age = models.PositiveSmallIntegerField(_("below age"), null=True, blank=True)
    amount = models.DecimalField(_("monthly amount (元)"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["programme", "valid_from", "min_age"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "valid_from", "min_age"],
                name="assistance_standard_once_per_band_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="assistance_standard_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.valid_from} {self.amount}"

    def band_label(self) -> str:
        if not self.min_age and self.max_age is None:
            return ""
        if self.max_age is None:
            return f"{self.min_age}+"
        return f"{self.min_age}–{self.max_age - 1}"


class EndReason(models.TextChoices):
    DIED = "died", _("Died (死亡)")
    MOVED_OUT = "moved_out", _("Moved away (迁出)")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible (不再符合条件)")
    OTHER = "other", _("Other (其他)")


class Beneficiary(models.Model):
    """One enrolment (救助对象) of a person, or a household through its head, in a programme."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the community (社区申报)")
        ACTIVE = "active", _("Active (在保)")
        END_PROPOSED = "end_proposed", _("End proposed (拟停保)")
        ENDED = "ended", _("Ended (已停保)")
        REJECTED = "rejected", _("Not approved (未批准)")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assistance_enrolments",
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    birth_on = models.DateField(_("born on"))
    persons = models.PositiveSmallIntegerField(
        _("persons covered"), default=1, help_text=_("For a household enrolment: its members.")
    )
    bank_name = models.CharField(_("bank"), max_length=50, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    applied_on = models.DateField(_("applied on"))
    starts_on = models.DateField(_("paid from"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("end note"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    OPEN = frozenset({Status.PROPOSED, Status.ACTIVE, Status.END_PROPOSED})
    # Paid while in these states (an end proposed is paid until 民政 approves it).
    PAID = frozenset({Status.ACTIVE, Status.END_PROPOSED, Status.ENDED})

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["programme", "household__code", "name"]
        constraints = [
            # The same person is never twice on the open roll of one programme.
            models.UniqueConstraint(
                fields=["programme", "id_number"],
                condition=models.Q(status__in=["proposed", "active", "end_proposed"]),
                name="assistance_one_open_enrolment_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(persons__gte=1), name="assistance_persons_at_least_one"
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.programme}"

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def masked_account(self) -> str:
        return idnumbers.mask_account(self.bank_account)


class BeneficiaryEvent(AppendOnly):
    """One change to, or sensitive read of, an enrolment (变更记录): immutable."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed (申报)")
        APPROVED = "approved", _("Approved (审批通过)")
        REJECTED = "rejected", _("Not approved (审批不通过)")
        END_PROPOSED = "end_proposed", _("End proposed (提出停保)")
        END_REJECTED = "end_rejected", _("End refused (不予停保)")
        ENDED = "ended", _("Ended (停保)")
        ACCOUNT_CHANGED = "account_changed", _("Bank account changed (变更账户)")
        IMPORTED = "imported", _("Imported (导入)")
        CHECKED = "checked", _("Check visit (核查走访)")
        VIEWED_ID = "viewed_id", _("Full ID number viewed (查看完整身份证号)")
        VIEWED_ACCOUNT = "viewed_account", _("Full account viewed (查看完整账号)")
        EXPORTED = "exported", _("In a payment file (写入发放文件)")

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_name = models.CharField(_("who"), max_length=50)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Old and new values of what changed; bank accounts only ever masked here.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("beneficiary event")
        verbose_name_plural = _("beneficiary events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PaymentRun(models.Model):
    """A month's payment of one programme in one district (发放批次): drafted from the roll and
    the standards in force, approved, then locked when its payment file is written.

    One run per programme, district and month (unique): a rerun of the draft replaces the
    draft's lines in one transaction, and a locked run is never changed again — what it paid
    wrongly is corrected by adjustment lines of a later run.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (草稿)")
        APPROVED = "approved", _("Approved (已审批)")
        LOCKED = "locked", _("Paid out, locked (已发放锁定)")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="runs"
    )
    district = models.ForeignKey(
        "territory.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    persons = models.PositiveIntegerField(_("persons"), default=0)
    amount = models.DecimalField(_("amount (元)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-month", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "district", "month"], name="assistance_one_run_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.month:%Y-%m}"


class PaymentLine(models.Model):
    """What one enrolment is paid in a run: its month (regular) or a correction of an earlier,
    locked month (adjustment, may be negative). Name and account are copied at approval so the
    locked run's payment file is the same whenever it is written again."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Monthly (当月)")
        ADJUSTMENT = "adjustment", _("Adjustment (补发/扣减)")

    run = models.ForeignKey(
        PaymentRun, verbose_name=_("payment run"), on_delete=models.CASCADE, related_name="lines"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="+"
    )
    id_number = models.CharField(_("ID number"), max_length=18)
    for_month = models.DateField(_("for month"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    persons = models.PositiveSmallIntegerField(_("persons"), default=1)
    amount = models.DecimalField(_("amount (元)"), max_digits=12, decimal_places=2)
    name = models.CharField(_("full name"), max_length=50, blank=True)
    bank_name = models.CharField(_("bank"), max_length=50, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["run", "beneficiary", "for_month"]
        constraints = [
            # A person is in a run at most once for each month: never paid twice.
            models.UniqueConstraint(
                fields=["run", "id_number", "for_month"], name="assistance_person_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.beneficiary_id} {self.for_month:%Y-%m} {self.amount}"


class PaymentRunEvent(models.Model):
    """What happened to a run (发放记录): drafted, approved, payment file written."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Drafted (生成草稿)")
        APPROVED = "approved", _("Approved (审批)")
        EXPORTED = "exported", _("Payment file written (导出发放文件)")

    run = models.ForeignKey(
        PaymentRun, verbose_name=_("payment run"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_name = models.CharField(_("who"), max_length=50)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("payment run event")
        verbose_name_plural = _("payment run events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.kind}"


class CheckVisit(models.Model):
    """A check visit (核查走访) to a beneficiary: a visit of civgrid.visits (who, when, notes)
    plus what the roll needs to know — seen at home, away, dead or moved — and how they live."""

    class Outcome(models.TextChoices):
        PRESENT = "present", _("Seen at home, alive (本人在家)")
        AWAY = "away", _("Alive, not at home (本人不在家)")
        DIED = "died", _("Died (已去世)")
        MOVED_OUT = "moved_out", _("Moved away (已迁出)")

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="checks"
    )
    visit = models.OneToOneField(
        "visits.Visit", verbose_name=_("visit"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    conditions = models.TextField(_("living conditions"), blank=True)
    happened_on = models.DateField(_("date of death or move"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), db_index=True)

    SEEN = frozenset({Outcome.PRESENT})

    class Meta:
        verbose_name = _("check visit")
        verbose_name_plural = _("check visits")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.outcome} {self.visited_at:%Y-%m-%d}"
