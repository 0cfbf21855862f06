"""Forms of the inspection pages: they parse what the browser sent into the arguments of
civgrid.inspections.actions, whose errors the views attach to the field they name."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civgrid.cases.forms import PhotosField
from civgrid.inspections.actions import MAX_NOTE
from civgrid.inspections.models import Inspection, Kind, Outcome
from civgrid.inspections.queries import TEAM_ROLES
from civgrid.inspections.sampling import ALL
from civgrid.org.scope import Scope, scope_of
from civgrid.standards.models import Framework
from civgrid.territory.models import Region, Site


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person = getattr(obj, "person", None)
        return f"{person.name} ({person.get_role_display()})" if person else obj.get_username()


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person = getattr(obj, "person", None)
        return person.name if person else obj.get_username()


def team_users(scope: Scope | None = None) -> Any:
    """Who may be on a team: the office and inspectors; for a district office, those of its
    district (and the city office's people, whose scope covers it)."""
    users = User.objects.filter(person__role__in=TEAM_ROLES, is_active=True)
    if scope is not None and not scope.is_everything:
        roots = list(scope.roots())
        users = users.filter(
            Q(person__regions__isnull=True)
            | Q(person__regions__in=[a for r in roots for a in r.ancestor_ids])
        ).distinct()
    return users.select_related("person").order_by("person__role", "person__name")


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    framework = forms.ModelChoiceField(
        label=_("Evaluation framework"), queryset=Framework.objects.none()
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    team = TeamChoiceField(
        label=_("Inspection team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    leader = LeaderChoiceField(label=_("Team leader"), queryset=User.objects.none(), required=False)
    site_codes = forms.CharField(
        label=_("Sites by code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Site codes separated by spaces, commas or lines (optional)."),
    )
    region = forms.ModelChoiceField(
        label=_("Sample under region"),
        queryset=Region.objects.filter(level__lt=Region.Level.GRID).order_by("path"),
        required=False,
        help_text=_("Empty: the whole district."),
    )
    seed = forms.IntegerField(
        label=_("Sampling seed"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_(
            "The same seed draws the same sites again; empty: a random one is drawn and kept."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user) if user is not None else None
        if scope is not None:
            regions = cast(forms.ModelChoiceField, self.fields["region"])
            regions.queryset = scope.filter(regions.queryset, "")  # type: ignore[arg-type]
        frameworks = Framework.objects.order_by("-is_current", "-imported_at")
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["framework"].initial = Framework.current()
        self.fields["team"].queryset = team_users(scope)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = team_users(scope)  # type: ignore[attr-defined]
        self.kind_fields = []
        for value, label in Site.Kind.choices:
            name = f"size_{value}"
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=5,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "placeholder": "0 / all", "size": 5}
                ),
            )
            self.kind_fields.append(name)

    def clean_site_codes(self) -> list[Site]:
        codes = [
            c for c in re.split(r"[\s,，、;；]+", self.cleaned_data.get("site_codes") or "") if c
        ]
        if not codes:
            return []
        found = {s.code: s for s in Site.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("No site with code: %(codes)s.") % {"codes": ", ".join(unknown[:10])}
            )
        return [found[c] for c in dict.fromkeys(codes)]

    def sample_sizes(self) -> dict[str, object]:
        sizes: dict[str, object] = {}
        for name in self.kind_fields:
            value = (self.cleaned_data.get(name) or "").strip().lower()
            if not value or value == "0":
                continue
            sizes[name.removeprefix("size_")] = ALL if value in (ALL, "全部") else value
        return sizes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.kind_fields:
            value = (data.get(name) or "").strip().lower()
            if value and value not in (ALL, "全部") and not (value.isascii() and value.isdigit()):
                self.add_error(name, _("A number of sites, or “all”."))
        return data

    def plan_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "kind": d["kind"],
            "framework": d["framework"],
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "team": list(d["team"]),
            "leader": d.get("leader"),
            "sites": d.get("site_codes") or [],
            "sample_sizes": self.sample_sizes() or None,
            "seed": d.get("seed"),
            "region": d.get("region"),
            "note": d.get("note") or "",
        }


class CheckForm(forms.Form):
    """One standard's answer on the phone checklist."""

    outcome = forms.ChoiceField(choices=Outcome.choices)
    note = forms.CharField(
        required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
    question = forms.IntegerField(required=False)
    photos = PhotosField(label=_("Photos of the problem"))
    fixed_on_spot = forms.BooleanField(required=False, label=_("Fixed on the spot"))
    fix_note = forms.CharField(required=False, max_length=MAX_NOTE)
    longitude = forms.FloatField(required=False)
    latitude = forms.FloatField(required=False)
    accuracy = forms.FloatField(required=False)


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Earlier round"), queryset=Inspection.objects.none())
    b = forms.ModelChoiceField(label=_("Later round"), queryset=Inspection.objects.none())

    def __init__(self, *args: Any, inspections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = inspections  # type: ignore[attr-defined]
        self.fields["b"].queryset = inspections  # type: ignore[attr-defined]
