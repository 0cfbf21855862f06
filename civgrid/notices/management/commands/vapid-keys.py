"""`civgrid vapid-keys`: a new VAPID key pair for Web Push, printed as the settings to set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civgrid.notices.channels.webpush import new_key_pair


class Command(BaseCommand):
    help = "Generate a VAPID key pair for Web Push and print the settings to set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--subject",
            default="mailto:office@example.org",
            help="A contact for the push services: mailto:… or https://….",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = new_key_pair()
        self.stdout.write(f"CIVGRID_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"CIVGRID_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"CIVGRID_VAPID_SUBJECT={options['subject']}")
        self.stderr.write("Keep the private key secret; changing it voids every subscription.")
