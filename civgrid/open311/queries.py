"""Reading the Open311 settings: whose publication rules apply, and how to say them to a
resident before they report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civgrid.open311.models import Jurisdiction, TextPublication

METRES_PER_DEGREE = 111_000  # of latitude; of longitude a little less at 33° N


def publication_for(jurisdiction_id: str = "") -> Jurisdiction:
    """Whose publication settings apply: the active jurisdiction named, else the only active
    one, else the defaults (an unsaved Jurisdiction: 3 decimals, text after moderation)."""
    active = Jurisdiction.objects.filter(is_active=True)
    if jurisdiction_id:
        named = active.filter(jurisdiction_id=jurisdiction_id).first()
        if named is not None:
            return named
    only = list(active[:2])
    return only[0] if len(only) == 1 else Jurisdiction()


def public_notice() -> list[str]:
    """What the public report form tells residents becomes public through Open311."""
    policy = publication_for()
    metres = METRES_PER_DEGREE // 10**policy.coordinate_decimals
    lines = [
        _(
            "The category, the status, the answer and the place (rounded to about %(metres)d m) "
            "of every report are published through the open data interface (Open311)."
        )
        % {"metres": metres}
        if metres >= 5
        else _(
            "The category, the status, the answer and the exact place of every report are "
            "published through the open data interface (Open311)."
        )
    ]
    if policy.text_publication == TextPublication.ALWAYS:
        lines.append(_("Your description and address are published as you write them."))
    elif policy.text_publication == TextPublication.MODERATED:
        lines.append(
            _(
                "Your description and address are published only after the campaign office "
                "has checked them."
            )
        )
    else:
        lines.append(_("Your description and address are not published."))
    lines.append(_("Your name, phone number and photos are never published."))
    return lines
