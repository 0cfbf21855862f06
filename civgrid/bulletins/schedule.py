"""Periodic jobs of the exports (civgrid.scheduling.registry)."""

from civgrid.scheduling.registry import register

register("bulletins.stale_exports", func="civgrid.bulletins.jobs.check_stale", every=5)
