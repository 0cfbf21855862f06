"""Open311 GeoReport v2 (开放接口): the jurisdictions civgrid answers for and the API keys of
the clients allowed to post service requests. Both are kept by the office in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TextPublication(models.TextChoices):
    """When a resident's own words (description, address) appear in GET answers."""

    NEVER = "never", _("Never")
    MODERATED = "moderated", _("After moderation by the office")
    ALWAYS = "always", _("Always")


class Jurisdiction(models.Model):
    """A `jurisdiction_id` clients may send (e.g. "chuanhui.zhoukou.gov.cn").

    One civgrid may serve a city's districts (一市多区): a jurisdiction maps to a district (or
    the city, or, left empty, the whole installation). A request posted through a district's
    jurisdiction must lie in that district and lands in it; its GET answers list that
    district's requests only. A request naming an id not listed here is refused (404).
    """

    jurisdiction_id = models.CharField(_("jurisdiction id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__lte": 1},
        help_text=_("The district (or city) this jurisdiction answers for; empty: everywhere."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # What GET answers publish of a resident's report (the defaults are those used when no
    # jurisdiction applies, see views.publication_for). 3 decimals ≈ 100 m: the street, not
    # the door.
    coordinate_decimals = models.PositiveSmallIntegerField(
        _("coordinate decimals published"),
        default=3,
        help_text=_("Published lat/long are rounded: 3 decimals ≈ 100 m, 2 ≈ 1 km, 6 exact."),
    )
    text_publication = models.CharField(
        _("description and address published"),
        max_length=10,
        choices=TextPublication.choices,
        default=TextPublication.MODERATED,
    )

    class Meta:
        verbose_name = _("Open311 jurisdiction")
        verbose_name_plural = _("Open311 jurisdictions")
        ordering = ["jurisdiction_id"]

    def __str__(self) -> str:
        return self.jurisdiction_id


class ApiKey(models.Model):
    """The key of one Open311 client (接入应用): needed to post a service request."""

    name = models.CharField(
        _("owner"), max_length=100, help_text=_("Who uses the key: the app or organisation.")
    )
    # Only a digest is stored: a leaked database does not leak working keys. The prefix lets
    # the office tell keys apart.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Moderation(models.Model):
    """The office's decision to publish a resident report's text through Open311 (审核公开)."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="open311_moderation",
    )
    text_public = models.BooleanField(_("text may be published"), default=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"))

    class Meta:
        verbose_name = _("Open311 moderation")
        verbose_name_plural = _("Open311 moderations")
        ordering = ["-moderated_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text_public}"
