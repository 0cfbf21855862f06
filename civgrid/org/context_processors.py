from django.http import HttpRequest

from civgrid.org.queries import get_person, role_of


def person(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {"current_person": get_person(user), "current_role": role_of(user)}
