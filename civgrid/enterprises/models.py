"""The enterprise file (一企一档): every enterprise and small venue once, with its documents.

Facts about one row live here (is a document expired at T, what is missing from a file);
every change goes through civgrid.enterprises.actions and writes an EnterpriseEvent, so the
file's history is never edited in place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import mask_phone
from civgrid.org.models import Unit
from civgrid.territory.models import Region, Site

# A document expiring within this many days is listed as "expiring" (renewal takes weeks).
EXPIRING_WITHIN_DAYS = 30


class Kind(models.TextChoices):
    """What an enterprise is: a firm above designated size, a micro firm, or one of the nine
    kinds of small venue (九小场所) of the fire-safety rules."""

    ABOVE_SCALE = "above_scale", _("Enterprise above designated size (规上企业)")
    MICRO = "micro", _("Micro enterprise (微型企业)")
    SMALL_SHOP = "shop", _("Small shop (小商店)")
    SMALL_EATERY = "eatery", _("Small eatery (小餐饮)")
    SMALL_HOTEL = "hotel", _("Small hotel (小旅馆)")
    SMALL_INTERNET_CAFE = "internet_cafe", _("Small internet café (小网吧)")
    SMALL_BEAUTY_BATH = "beauty_bath", _("Small beauty / bath house (小美容洗浴)")
    SMALL_ENTERTAINMENT = "entertainment", _("Small entertainment venue (小歌舞娱乐)")
    SMALL_SCHOOL = "school", _("Small school / kindergarten / training (小学校幼儿园)")
    SMALL_CLINIC = "clinic", _("Small clinic (小医院诊所)")
    SMALL_WORKSHOP = "workshop", _("Small workshop (小生产加工)")


ENTERPRISE_KINDS = frozenset({Kind.ABOVE_SCALE, Kind.MICRO})
NINE_SMALL_KINDS = frozenset(set(Kind) - ENTERPRISE_KINDS)


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence (营业执照)")
    FIRE_ACCEPTANCE = "fire_acceptance", _("Fire acceptance / filing (消防验收备案)")
    FOOD_LICENCE = "food_licence", _("Food business licence (食品经营许可证)")
    EMERGENCY_PLAN = "emergency_plan", _("Emergency plan (应急预案)")
    DRILL_RECORD = "drill_record", _("Drill record (应急演练记录)")
    TRAINING_RECORD = "training_record", _("Safety training record (安全培训记录)")


# The documents a complete file holds, by kind (a business licence for everyone; the rest where
# the regulations ask for them). Decided in docs/enterprises.md.
_D = DocumentKind
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    Kind.ABOVE_SCALE: (
        _D.BUSINESS_LICENCE,
        _D.FIRE_ACCEPTANCE,
        _D.EMERGENCY_PLAN,
        _D.DRILL_RECORD,
        _D.TRAINING_RECORD,
    ),
    Kind.MICRO: (_D.BUSINESS_LICENCE, _D.TRAINING_RECORD),
    Kind.SMALL_SHOP: (_D.BUSINESS_LICENCE,),
    Kind.SMALL_EATERY: (_D.BUSINESS_LICENCE, _D.FOOD_LICENCE),
    Kind.SMALL_HOTEL: (_D.BUSINESS_LICENCE, _D.FIRE_ACCEPTANCE, _D.EMERGENCY_PLAN),
    Kind.SMALL_INTERNET_CAFE: (_D.BUSINESS_LICENCE, _D.FIRE_ACCEPTANCE),
    Kind.SMALL_BEAUTY_BATH: (_D.BUSINESS_LICENCE,),
    Kind.SMALL_ENTERTAINMENT: (_D.BUSINESS_LICENCE, _D.FIRE_ACCEPTANCE, _D.EMERGENCY_PLAN),
    Kind.SMALL_SCHOOL: (_D.BUSINESS_LICENCE, _D.FIRE_ACCEPTANCE, _D.EMERGENCY_PLAN),
    Kind.SMALL_CLINIC: (_D.BUSINESS_LICENCE, _D.FIRE_ACCEPTANCE),
    Kind.SMALL_WORKSHOP: (_D.BUSINESS_LICENCE, _D.TRAINING_RECORD),
}
# The fields a complete file has filled in, with their labels.
REQUIRED_FIELDS: dict[str, Promise] = {
    "legal_person": _("legal representative (法定代表人)"),
    "legal_phone": _("legal representative's phone"),
    "safety_person": _("safety officer (安全负责人)"),
    "safety_phone": _("safety officer's phone"),
    "staff": _("staff"),
}


class SizeThreshold(models.Model):
    """The largest a venue of a 九小 kind may be and still count as "small" (九小场所标准).

    Cities set these differently (e.g. a small eatery up to 200 m² or 100 seats), so they are
    rows the office keeps in the admin; an empty limit is no limit.
    """

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(k.value, k.label) for k in Kind if k in NINE_SMALL_KINDS],
        unique=True,
    )
    max_floor_area = models.DecimalField(
        _("largest floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    max_seats = models.PositiveIntegerField(_("most seats"), null=True, blank=True)
    max_beds = models.PositiveIntegerField(_("most beds"), null=True, blank=True)
    max_staff = models.PositiveIntegerField(_("most staff"), null=True, blank=True)

    class Meta:
        verbose_name = _("九小 size threshold")
        verbose_name_plural = _("九小 size thresholds")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def exceeded_by(self, enterprise: Enterprise) -> list[tuple[str, Decimal | int, Decimal | int]]:
        """(measure, value, limit) for every limit the venue is above."""
        out: list[tuple[str, Decimal | int, Decimal | int]] = []
        for measure, limit_field in (
            ("floor_area", "max_floor_area"),
            ("seats", "max_seats"),
            ("beds", "max_beds"),
            ("staff", "max_staff"),
        ):
            value = getattr(enterprise, measure)
            limit = getattr(self, limit_field)
            if value is not None and limit is not None and value > limit:
                out.append((measure, value, limit))
        return out


class Enterprise(models.Model):
    """An enterprise or small venue (企业/九小场所) and its file (一企一档)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    # Unique when given; a small venue without a licence has none (and that is a finding).
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=255)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": Region.Level.GRID},
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    regulator = models.ForeignKey(
        Unit,
        verbose_name=_("regulating unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulated_enterprises",
    )
    legal_person = models.CharField(_("legal representative"), max_length=50, blank=True)
    legal_phone = models.CharField(_("legal representative's phone"), max_length=32, blank=True)
    safety_person = models.CharField(_("safety officer"), max_length=50, blank=True)
    safety_phone = models.CharField(_("safety officer's phone"), max_length=32, blank=True)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="enterprise_credit_code_unique",
            )
        ]
        indexes = [models.Index(fields=["grid", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_nine_small(self) -> bool:
        return self.kind in NINE_SMALL_KINDS

    def masked(self, field: str) -> str:
        return mask_phone(getattr(self, field))

    def missing_fields(self) -> list[str]:
        """The labels of the required fields left empty."""
        return [str(label) for name, label in REQUIRED_FIELDS.items() if not getattr(self, name)]

    def file_gaps(self, documents: list[EnterpriseDocument], today: dt.date) -> list[str]:
        """Why the file is not complete on `today` (empty: 一企一档 done). `documents` are the
        enterprise's current documents (one per kind, see current_documents)."""
        gaps = self.missing_fields()
        if not self.credit_code:
            gaps.insert(0, str(_("unified social credit code")))
        valid = {d.kind for d in documents if not d.is_expired(today)}
        held = {d.kind for d in documents}
        for kind in REQUIRED_DOCUMENTS[self.kind]:
            label = DocumentKind(kind).label
            if kind not in held:
                gaps.append(str(_("%(document)s missing") % {"document": label}))
            elif kind not in valid:
                gaps.append(str(_("%(document)s expired") % {"document": label}))
        return gaps


def document_path(instance: EnterpriseDocument, filename: str) -> str:
    return f"enterprises/{instance.enterprise_id}/{instance.kind}/{filename}"


class EnterpriseDocument(models.Model):
    """A licence or record in the file (证照资料), as an uploaded file. A newer one of the same
    kind supersedes it; the old one stays, as the file's history."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "kind", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.kind}"

    def is_expired(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def is_expiring(self, today: dt.date) -> bool:
        return (
            self.expires_on is not None
            and not self.is_expired(today)
            and (self.expires_on - today).days <= EXPIRING_WITHIN_DAYS
        )


def current_documents(documents: list[EnterpriseDocument]) -> list[EnterpriseDocument]:
    """The newest document of each kind (the list in any order)."""
    newest: dict[str, EnterpriseDocument] = {}
    for doc in documents:
        held = newest.get(doc.kind)
        if held is None or (doc.uploaded_at, doc.pk or 0) > (held.uploaded_at, held.pk or 0):
            newest[doc.kind] = doc
    return sorted(newest.values(), key=lambda d: DOCUMENT_ORDER[d.kind])


DOCUMENT_ORDER = {kind: i for i, kind in enumerate(DocumentKind.values)}


class EnterpriseEvent(models.Model):
    """One change to a file (档案变更记录): who, when, what, the fields' old and new values."""

    class Action(models.TextChoices):
        CREATED = "created", _("File created")
        UPDATED = "updated", _("File updated")
        IMPORTED = "imported", _("Updated by import")
        DOCUMENT = "document", _("Document added")
        DEACTIVATED = "deactivated", _("Closed down")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_name = models.CharField(_("by"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # {field: [old, new]} as text, for the history page.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("file event")
        verbose_name_plural = _("file events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-at"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.action}@{self.at:%Y-%m-%d}"
