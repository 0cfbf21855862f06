"""Why a case action was refused (拒绝的原因): one exception per answer a page or the API gives.

Every action of civgrid.cases.actions and civgrid.cases.reporting raises one of these before
anything is written; pages show `message` beside the field named by `field`, and the API
answers `http_status` with the common error body (civgrid.api.exception_handler).
"""

from __future__ import annotations


class CaseActionError(Exception):
    """A refused action: `message` is for the user; `field` names the input at fault."""

    code = "invalid"
    http_status = 400  # what pages and the API answer with

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(CaseActionError):
    code = "invalid"


class NotAllowed(CaseActionError):
    code = "forbidden"
    http_status = 403


class IllegalTransition(CaseActionError):
    code = "illegal_transition"
    http_status = 409


class StaleCase(CaseActionError):
    code = "stale"
    http_status = 409
