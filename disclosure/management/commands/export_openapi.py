from pathlib import Path

from django.core.management.base import BaseCommand

from ...api.openapi import documents, dumps


class Command(BaseCommand):
    help = (
        "Write the OpenAPI documents of the disclosure API and of Wagtail's v3 pages API into a "
        "directory (the project keeps them in docs/api/, where the schema test compares them and "
        "the TypeScript client is generated from them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        directory.mkdir(parents=True, exist_ok=True)
        for name, document in documents().items():
            path = directory / name
            path.write_text(dumps(document), encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"{path}: {len(document['paths'])} paths"))
