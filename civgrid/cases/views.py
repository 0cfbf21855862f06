from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civgrid.cases.queries import cases_for_user


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    cases = cases_for_user(request.user)[:50]
    return render(request, "cases/ledger.html", {"cases": cases})
