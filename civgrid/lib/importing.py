"""What every all-or-nothing import reports back: its problems, and whether it may be written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportOutcome:
    """Base of an import's result. `problems` hold objects with a `severity` of "error" or
    "warning"; any error means nothing was written."""

    problems: list[Any] = field(default_factory=list)
    dry_run: bool = False

    @property
    def errors(self) -> list[Any]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Any]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors
