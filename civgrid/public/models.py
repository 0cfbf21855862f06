"""Resident reporting (群众反映): what civgrid keeps about a report made without an account.

The case itself is an ordinary case of the ledger (civgrid.cases, source "resident", no
reporter user); this row adds what only the public side needs: the channel, the secret of the
private status link (stored hashed), the date by which the resident was promised an answer,
and a keyed hash of the sender's IP address (never the address itself).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.cases import deadlines


class Channel(models.TextChoices):
    WEB = "web", _("Public web page")
    OPEN311 = "open311", _("Open311 client")


class PublicReport(models.Model):
    """A resident's report through the public page or Open311 (群众反映记录)."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="public_report",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Who sent it through Open311 (the API key's owner), empty for the web page.
    client_name = models.CharField(_("client"), max_length=100, blank=True)
    # sha256 of the secret in the private status link: the link rates the answer, the
    # tracking code alone only shows the status. A resent form rotates it (see actions).
    token_hash = models.CharField(max_length=64, unique=True)
    # The end of the working day by which the resident was told they will get an answer
    # (category's normal-urgency working days after the report, see actions.promised_answer_by).
    promised_answer_by = models.DateTimeField(_("answer promised by"))
    # HMAC of the sender's IP with the site's secret key: lets the office see that many
    # reports came from one place without keeping anyone's address.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # sha256 of the first sender's browser secret (a cookie of the public pages): only that
    # browser may resend the form and get a new private link (see actions.submit_report).
    sender_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.channel})"

    @property
    def promised_on(self) -> dt.date:
        """The promised date as the resident reads it: the last day, local time."""
        return deadlines.due_day(self.promised_answer_by)

    def is_answer_late(self, now: dt.datetime, replied_at: dt.datetime | None) -> bool:
        """No answer yet and the promised day is over."""
        return replied_at is None and now >= self.promised_answer_by


class PrivateLink(models.Model):
    """A further private status link of a report (追加私密链接), issued when the answer is sent
    by text message (civgrid.notices). Only its hash is kept, like the first link's; the first
    one keeps working, so a resident who bookmarked it loses nothing."""

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("private link")
        verbose_name_plural = _("private links")

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.created_at:%Y-%m-%d}"
