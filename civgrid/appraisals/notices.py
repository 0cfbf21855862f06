"""The appraisal events people are told about (civgrid/notices/events.py): a file sent back to
its branch, a file waiting at the next level, a cycle's 公示 started."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.notices import events

if TYPE_CHECKING:
    from civgrid.notices.models import Notice


def _sent_back(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[0].data
    subject = _("%(branch)s: the file was sent back by %(level)s") % data
    return subject, data.get("reason", ""), reverse("appraisals:branches")


def _due(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[0].data
    subject = _("%(branch)s waits for %(level)s") % data
    body = _("%(n)d file(s) wait for you.") % {"n": len(notices)}
    return subject, body, reverse("appraisals:branches")


def _publicity(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[0].data
    subject = _("Public notice of %(cycle)s started") % data
    body = _("Objections are received until %(ends_at)s.") % data
    return subject, body, reverse("appraisals:branches")


def register() -> None:
    events.register(
        "appraisal_sent_back",
        gettext_lazy("Appraisal file sent back (考评材料退回)"),
        render=_sent_back,
        channels=("inbox",),
    )
    events.register(
        "appraisal_due",
        gettext_lazy("Appraisal file waits for review (考评待审)"),
        render=_due,
        channels=("inbox",),
    )
    events.register(
        "appraisal_publicity",
        gettext_lazy("Appraisal public notice started (考评结果公示)"),
        render=_publicity,
        channels=("inbox",),
    )
