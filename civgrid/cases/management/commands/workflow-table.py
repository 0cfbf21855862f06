"""`civgrid workflow-table`: the transition table as Markdown (docs/workflow.md is its output).

A test compares the file with this output, so the document cannot drift from the code.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from civgrid.cases.workflow import workflow_markdown


class Command(BaseCommand):
    help = "Print the case workflow's transition table as Markdown."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(workflow_markdown(), ending="")
