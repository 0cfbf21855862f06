from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running civgrid in production: `civgrid serve` (docs/operations.md). No models."""

    name = "civgrid.ops"
    label = "ops"
