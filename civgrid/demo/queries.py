"""Reading the demo: who can log in, as what."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password

from civgrid.demo.district import DEMO_PASSWORD
from civgrid.org.models import Person, Role

ROLE_ORDER: list[str] = [
    Role.OFFICE,
    Role.INSPECTOR,
    Role.LEADER,
    Role.UNIT_CLERK,
    Role.GRID_WORKER,
    Role.RESIDENT,
]
WHO: dict[str, str] = {
    Role.OFFICE: "创建办（看本区全部、交办、销号）",
    Role.INSPECTOR: "督查（立案、核查）",
    Role.RESIDENT: "群众（反映问题、评价）",
}


@dataclass(frozen=True)
class Login:
    username: str
    password: str  # the demo password while it still works, else a hint
    role: str
    name: str
    who: str


def _who(person: Person) -> str:
    if person.role == Role.LEADER:
        places = "、".join(r.name for r in person.regions.all())
        return f"分包领导，负责{places}" if places else "分包领导"
    if person.role == Role.UNIT_CLERK:
        return f"{person.unit.name}联络员" if person.unit else "责任单位联络员"
    if person.role == Role.GRID_WORKER:
        grids = "、".join(r.name for r in person.regions.all())
        return f"网格员，负责{grids}" if grids else "网格员"
    if person.role in (Role.OFFICE, Role.INSPECTOR):
        # 一市多区: the city office sees every district, a district's staff their own.
        places = "、".join(r.name for r in person.regions.all())
        if not places:
            return "市创建办（看全部区、下派到区）" if person.role == Role.OFFICE else "市督查"
        return f"{places}{WHO[person.role]}"
    return WHO.get(person.role, person.role)


def demo_logins() -> list[Login]:
    """Everyone with an account: office first, then by role, each group by username."""
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    works: dict[str, bool] = {}  # one hash check per distinct hash: demo users share one
    logins = []
    for person in (
        Person.objects.exclude(user=None).select_related("user", "unit").prefetch_related("regions")
    ):
        user = person.user
        if user is None:
            continue
        if user.password not in works:
            works[user.password] = check_password(DEMO_PASSWORD, user.password)
        if works[user.password]:
            password = DEMO_PASSWORD
        elif not user.has_usable_password():
            password = "(none)"
        else:
            password = "(changed)"
        logins.append(Login(user.username, password, person.role, person.name, _who(person)))
    return sorted(logins, key=lambda login: (rank.get(login.role, 99), login.username))
