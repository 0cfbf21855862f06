"""The only way to fetch enterprise files a user may see (企业档案可见范围).

Everything is first narrowed to the user's region scope through the enterprise's grid
(civgrid.org.scope), then by role:

- campaign office and inspectors: every enterprise in their scope, contacts in full;
- unit clerks: the enterprises their unit regulates (监管单位), contacts in full;
- grid workers and responsible leaders: the enterprises of their grids, contacts masked;
- residents: none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.enterprises.models import (
    ENTERPRISE_KINDS,
    EXPIRING_WITHIN_DAYS,
    REQUIRED_DOCUMENTS,
    REQUIRED_FIELDS,
    Enterprise,
    EnterpriseDocument,
    Kind,
    current_documents,
)
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of

SEE_ALL = frozenset({Role.OFFICE, Role.INSPECTOR})
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.LEADER})
# Who may open the enterprise pages at all.
ENTERPRISE_ROLES = SEE_ALL | GRID_ROLES | {Role.UNIT_CLERK}


def enterprises_for_user(user: AnyUser | None) -> QuerySet[Enterprise]:
    role = role_of(user)
    if role not in ENTERPRISE_ROLES:
        return Enterprise.objects.none()
    found = scope_of(user).filter(Enterprise.objects.all(), "grid")
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        if person is None or person.unit_id is None:
            return Enterprise.objects.none()
        found = found.filter(regulator_id=person.unit_id)
    return found


def get_enterprise_for_user(user: AnyUser | None, pk: int | str) -> Enterprise:
    """The enterprise if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return (
            enterprises_for_user(user)
            .select_related("grid__parent", "site", "regulator")
            .get(pk=int(pk))
        )
    except (Enterprise.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such enterprise.")) from exc


def may_see_contacts(user: AnyUser | None, enterprise: Enterprise) -> bool:
    """Phones in full for the office, inspectors and the regulating unit's clerk (the caller
    has already been allowed to see the enterprise)."""
    role = role_of(user)
    if role in SEE_ALL:
        return True
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        return person is not None and person.unit_id == enterprise.regulator_id
    return False


def may_edit(user: AnyUser | None, enterprise: Enterprise) -> bool:
    """The office and the regulating unit keep a file (the caller may already see it)."""
    role = role_of(user)
    return role == Role.OFFICE or (role == Role.UNIT_CLERK and may_see_contacts(user, enterprise))


def with_documents(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    return enterprises.prefetch_related(
        Prefetch("documents", queryset=EnterpriseDocument.objects.order_by("uploaded_at", "id"))
    )


@dataclass
class FileStatus:
    """One enterprise's file on a day: its current documents and what it lacks."""

    enterprise: Enterprise
    documents: list[EnterpriseDocument]
    gaps: list[str]

    @property
    def done(self) -> bool:
        return not self.gaps


def file_status(enterprise: Enterprise, today: dt.date) -> FileStatus:
    docs = current_documents(list(enterprise.documents.all()))
    return FileStatus(enterprise, docs, enterprise.file_gaps(docs, today))


@dataclass
class Completeness:
    """ "一企一档 done for N of M" for one kind."""

    kind: str
    label: str
    done: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None


def completeness(user: AnyUser | None, today: dt.date) -> list[Completeness]:
    """Files done per kind among the active enterprises the user sees: 规上企业 first, then
    微型企业, then the 九小 kinds that have any venue.

    The same rule as Enterprise.file_gaps, read from two value queries rather than model
    instances (a city's tens of thousands of files; bench/enterprise_files.py)."""
    counts: dict[str, list[int]] = {k: [0, 0] for k in Kind.values}
    active = enterprises_for_user(user).filter(is_active=True)
    fields = ["credit_code", *REQUIRED_FIELDS]
    newest: dict[tuple[int, str], tuple[Any, ...]] = {}
    documents = EnterpriseDocument.objects.filter(enterprise__in=active).values_list(
        "enterprise_id", "kind", "uploaded_at", "id", "expires_on"
    )
    for enterprise_id, kind, uploaded_at, pk, expires_on in documents.iterator(chunk_size=5000):
        held = newest.get((enterprise_id, kind))
        if held is None or (uploaded_at, pk) > held[:2]:
            newest[(enterprise_id, kind)] = (uploaded_at, pk, expires_on)
    for pk, kind, *values in active.values_list("id", "kind", *fields).iterator(chunk_size=5000):
        counts[kind][1] += 1
        if not all(values):
            continue
        done = True
        for required in REQUIRED_DOCUMENTS[kind]:
            doc = newest.get((pk, required))
            if doc is None or (doc[2] is not None and doc[2] < today):
                done = False
                break
        counts[kind][0] += int(done)
    return [
        Completeness(kind, str(Kind(kind).label), done, total)
        for kind, (done, total) in counts.items()
        if total or kind in ENTERPRISE_KINDS
    ]


def incomplete_files(
    user: AnyUser | None, today: dt.date, *, kind: str | None = None
) -> list[FileStatus]:
    """The active files with gaps (missing or expired documents, empty fields), by name."""
    active = enterprises_for_user(user).filter(is_active=True).select_related("grid")
    if kind:
        active = active.filter(kind=kind)
    out = [file_status(e, today) for e in with_documents(active)]
    return [s for s in out if not s.done]


def expiring_documents(user: AnyUser | None, today: dt.date) -> QuerySet[EnterpriseDocument]:
    """Current documents (no newer one of their kind) of active files that expire within
    EXPIRING_WITHIN_DAYS or have expired, soonest first: one query, for lists and panels."""
    newer = EnterpriseDocument.objects.filter(
        enterprise=OuterRef("enterprise"), kind=OuterRef("kind")
    ).filter(
        Q(uploaded_at__gt=OuterRef("uploaded_at"))
        | Q(uploaded_at=OuterRef("uploaded_at"), id__gt=OuterRef("id"))
    )
    return (
        EnterpriseDocument.objects.filter(
            enterprise__in=enterprises_for_user(user).filter(is_active=True),
            expires_on__lte=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
        )
        .exclude(Exists(newer))
        .select_related("enterprise__grid")
        .order_by("expires_on", "enterprise__name", "id")
    )
