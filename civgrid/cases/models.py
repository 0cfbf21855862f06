"""The problem-rectification ledger (问题整改台账): cases, their events and photos.

Facts about one row live here and take `now` as an argument; every change goes through
civgrid.cases.actions, and the states and transitions are the table in civgrid.cases.workflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.cases import lookups  # noqa: F401 (registers status__in_constants)
from civgrid.cases.workflow import CLOSED_STATES, CLOSED_VALUES, Status
from civgrid.lib.records import ImmutableError
from civgrid.org.models import Role


class Source(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (督查检查)")
    SUPERVISION = "supervision", _("Supervision feedback (督导反馈)")
    HOME_VISIT = "home_visit", _("Home visit (入户走访)")
    RESIDENT = "resident", _("Resident report (群众反映)")
    SELF_CHECK = "self_check", _("Self-check (自查)")
    HOTLINE = "hotline", _("Hotline (12345热线)")
    PATROL = "patrol", _("Grid patrol (网格巡查)")
    VOLUNTEER = "volunteer", _("Volunteer (志愿者发现)")
    SAFETY_INSPECTION = "safety_inspection", _("Safety inspection (安全检查)")


# The sources each role may report under, its usual one first (the form's default). The
# source statistics (indicators, bulletins) count where problems come from: a grid worker's
# own finding filed as a resident report would inflate 群众反映. Grid workers find problems
# on patrols, home visits and self-checks (回头看); inspectors and leaders bring inspections
# and supervision feedback; a unit checks itself; the campaign office enters what reaches it
# (hotline calls, supervision feedback, residents' letters) and records visits too. Residents
# with an account report as residents, and so does the public without one (report_public_case).
# Safety inspections of enterprises (civgrid/safety) are made by grid workers, inspectors and
# the office; their hidden dangers go on the ledger under their own source.
SOURCES_BY_ROLE: dict[str, tuple[Source, ...]] = {
    Role.OFFICE: (
        Source.SUPERVISION,
        Source.HOTLINE,
        Source.RESIDENT,
        Source.INSPECTION,
        Source.HOME_VISIT,
        Source.SELF_CHECK,
        Source.SAFETY_INSPECTION,
    ),
    Role.INSPECTOR: (
        Source.INSPECTION,
        Source.SUPERVISION,
        Source.SELF_CHECK,
        Source.SAFETY_INSPECTION,
    ),
    Role.LEADER: (Source.SUPERVISION, Source.INSPECTION),
    Role.UNIT_CLERK: (Source.SELF_CHECK,),
    Role.GRID_WORKER: (
        Source.PATROL,
        Source.HOME_VISIT,
        Source.SELF_CHECK,
        Source.SAFETY_INSPECTION,
    ),
    Role.RESIDENT: (Source.RESIDENT, Source.VOLUNTEER),
}

# Sources only some people of a role may file, with the check a higher app registers from its
# AppConfig.ready(): "volunteer" is open to a resident who is a registered volunteer
# (civgrid.volunteers), so the source statistics still mean what they say.
SOURCE_GATES: dict[str, Callable[[Any], bool]] = {}


def sources_for(user: Any) -> tuple[Source, ...]:
    """The sources this user may report under: their role's, minus the gated ones they fail.
    A gated source they pass comes first: it is the usual one of those who pass it (a
    volunteer's finding is filed as the volunteer's)."""
    from civgrid.org.queries import role_of

    sources = SOURCES_BY_ROLE.get(role_of(user) or "", ())
    gated = tuple(s for s in sources if s in SOURCE_GATES and SOURCE_GATES[s](user))
    return gated + tuple(s for s in sources if s not in SOURCE_GATES)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal (一般)")
    URGENT = "urgent", _("Urgent (紧急)")
    CRITICAL = "critical", _("Critical (特急)")


class Category(models.Model):
    """A problem category (问题类别), e.g. 占道经营, 垃圾乱堆, 消防隐患."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    default_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("default responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"),
        default=5,
        help_text=_("Used when no rule for the urgency exists."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DeadlineRule(models.Model):
    """Working days allowed to fix a case of this category at this urgency (整改时限)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="deadline_rules")
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="one_rule_per_urgency")
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.get_urgency_display()}: {self.working_days}"


class Case(models.Model):
    """A problem in the ledger (案件): from report to 销号 and the reply to the reporter."""

    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    grid = models.ForeignKey(
        "territory.Region",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    site = models.ForeignKey(
        "territory.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("reporter name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=32, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Deadlines are the end of a working day in Asia/Shanghai, stored in UTC; see deadlines.py.
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    # A pending extension request (延期申请): the unit asks, the office decides.
    extension_days_requested = models.PositiveSmallIntegerField(null=True, blank=True)
    extension_reason = models.CharField(max_length=500, blank=True)
    reply = models.TextField(_("reply to reporter"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    # Optimistic locking: every action bumps it; an action made against an older version is
    # refused, so two people acting at once cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # sha256 of "<reporter id>:<the client's idempotency key>", see reporting.report_case.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The overdue filter of the ledger and the API: open cases by deadline.
            models.Index(
                fields=["due_at"],
                name="case_open_due_idx",
                condition=~models.Q(status__in=list(CLOSED_VALUES)),
            ),
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
            models.Index(fields=["grid", "status"], name="case_grid_status_idx"),
            # The indicators (civgrid.reports.indicators) select a period's cases as "reported,
            # finished, registered or open in it": with closed_at indexed, each branch of that OR
            # is an index range (SQLite's multi-index OR, PostgreSQL's BitmapOr) instead of a
            # scan of the whole ledger; it also serves "closed in the period" and its P90.
            # Measured in bench/district.py, see docs/benchmarks.md.
            models.Index(fields=["closed_at"], name="case_closed_at_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    # --- questions about one row ---------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATES

    def is_overdue(self, now: dt.datetime) -> bool:
        """Overdue (超期): a deadline has passed and the case is not closed."""
        return self.due_at is not None and not self.is_closed and now >= self.due_at

    def masked_phone(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def has_pending_extension(self) -> bool:
        return self.extension_days_requested is not None


def mask_phone(phone: str) -> str:
    """138****5678: enough for staff to recognise a caller, not enough to harvest numbers."""
    digits = phone.strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****" if digits else ""


class CaseEvent(models.Model):
    """One step in a case's history (案件流转记录). Written once, never edited or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Snapshots, so the record still reads right after a person changes name, role or unit.
    actor_name = models.CharField(max_length=100, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Field changes as {"field": [old, new]} plus action-specific facts.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            # "Registered (立案) in the period" of the indicators: one action in a time range.
            models.Index(fields=["action", "created_at"], name="caseevent_action_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("case events are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("case events are never deleted")

    @property
    def changed_status(self) -> bool:
        return bool(self.to_status) and self.to_status != self.from_status


def photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case.created_at:%Y/%m}/{instance.case.tracking_code}/{filename}"


class CasePhoto(models.Model):
    """A photo attached to a case: at report, as evidence of the fix, or at verification."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Problem photo")
        EVIDENCE = "evidence", _("Rectification evidence")
        VERIFICATION = "verification", _("Verification photo")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    image = models.ImageField(upload_to=photo_path)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"
