"""The words of a notice, in the recipient's language (rendered when sent, not when written,
so a user who switches language reads the next message in it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civgrid.cases import deadlines
from civgrid.notices import eventtypes
from civgrid.notices.models import Event, Notice


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    url: str


def absolute(path: str) -> str:
    base = (getattr(settings, "CIVGRID_PUBLIC_URL", None) or "").rstrip("/")
    return f"{base}{path}"


def _subject(event: str, code: str) -> str:
    subjects: dict[str, str] = {
        Event.ASSIGNED: _("Case %(code)s assigned to your unit"),
        Event.RETURNED: _("Case %(code)s returned by the unit"),
        Event.EXTENSION_REQUESTED: _("Extension requested for case %(code)s"),
        Event.EXTENSION_DECIDED: _("Extension decided for case %(code)s"),
        Event.SUBMITTED: _("Fix submitted for case %(code)s"),
        Event.REWORK: _("Case %(code)s failed verification: rework"),
        Event.CLOSED: _("Case %(code)s closed"),
        Event.URGED: _("Case %(code)s urged"),
        Event.DUE_SOON: _("Case %(code)s: deadline within 1 working day"),
        Event.OVERDUE: _("Case %(code)s is overdue"),
        Event.ESCALATED: _("Case %(code)s overdue: escalated to you"),
        Event.ANSWERED: _("Your report %(code)s was answered"),
        Event.BAD_RATING: _("Bad rating for case %(code)s"),
    }
    return subjects.get(event, _("Notice about %(code)s")) % {"code": code}


def _one_line(notice: Notice) -> str:
    case = notice.case
    if case is None:
        return ""
    parts = [case.tracking_code, str(case.category), case.address]
    if case.due_at is not None:
        parts.append(_("due %(day)s") % {"day": deadlines.due_day(case.due_at).isoformat()})
    note = notice.data.get("note", "")
    if note and notice.event != Event.ANSWERED:
        parts.append(note[:100])
    return " · ".join(p for p in parts if p)


def render(notices: Sequence[Notice], language: str, *, resident_link: str = "") -> Text:
    """One message for one or more notices of one event (a batch)."""
    first = notices[0]
    with translation.override(language):
        app_event = eventtypes.get(first.event)
        if app_event is not None:
            subject, body, url = app_event.render(notices)
            return Text(str(subject), str(body), absolute(url) if url.startswith("/") else url)
        if first.event == Event.DIGEST:
            d = first.data
            body = _(
                "Open: %(open)d, due within 1 working day: %(soon)d, overdue: %(overdue)d."
            ) % {"open": d.get("open", 0), "soon": d.get("soon", 0), "overdue": d.get("overdue", 0)}
            return Text(
                _("Daily digest of %(unit)s") % {"unit": d.get("unit", "")},
                body,
                absolute(reverse("cases:ledger")),
            )
        if first.event == Event.VISIT_DUE:
            d = first.data
            subject = _("Visit plan %(plan)s: %(n)d households to visit") % {
                "plan": d.get("plan", ""),
                "n": d.get("n", 0),
            }
            body = _("The period %(period)s ends on %(day)s.") % {
                "period": d.get("period", ""),
                "day": d.get("day", ""),
            }
            return Text(subject, body, absolute(reverse("visits:due")))
        if first.event == Event.EXPORT_READY:
            subject = _("Your export is ready: %(name)s") % {"name": first.data.get("name", "")}
            url = absolute(reverse("bulletins:job", args=[first.data.get("job", 0)]))
            return Text(subject, "", url)
        if first.event == Event.ANSWERED and first.to_resident and first.case is not None:
            body = _(
                "Your report %(code)s was answered: %(answer)s Status and rating: %(link)s"
            ) % {
                "code": first.case.tracking_code,
                "answer": first.data.get("note", ""),
                "link": resident_link,
            }
            return Text(_subject(first.event, first.case.tracking_code), body, resident_link)
        if len(notices) > 1:
            subject = ngettext("%(n)d case: %(what)s", "%(n)d cases: %(what)s", len(notices)) % {
                "n": len(notices),
                "what": Event(first.event).label,
            }
            body = "\n".join(_one_line(n) for n in notices)
            return Text(subject, body, absolute(reverse("cases:ledger")))
        code = first.case.tracking_code if first.case else ""
        url = absolute(reverse("cases:detail", args=[first.case.pk])) if first.case else ""
        return Text(_subject(first.event, code), _one_line(first), url)
