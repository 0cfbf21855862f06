"""Appraisal models: schemes (schemes.py), the party-branch register (branches.py) and the
yearly cycle (cycles.py). See docs/appraisals.md."""

from civgrid.appraisals.models.branches import PartyBranch
from civgrid.appraisals.models.cycles import (
    AppraisalEvent,
    Cycle,
    Enrolment,
    Evaluator,
    Evidence,
    Objection,
    Score,
)
from civgrid.appraisals.models.schemes import (
    Band,
    Criterion,
    Dimension,
    EvidenceKind,
    GradingRule,
    ReviewLevel,
    Scheme,
    SchemeEvent,
    ScoringPoint,
    SubjectKind,
)

__all__ = [
    "AppraisalEvent",
    "Band",
    "Criterion",
    "Cycle",
    "Dimension",
    "Enrolment",
    "Evaluator",
    "Evidence",
    "EvidenceKind",
    "GradingRule",
    "Objection",
    "PartyBranch",
    "ReviewLevel",
    "Scheme",
    "SchemeEvent",
    "Score",
    "ScoringPoint",
    "SubjectKind",
]
