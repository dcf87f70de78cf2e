"""Whether each stored reader row still matches its page, kept by the database.

A row is read only while it was written for its page's present path and live state. Readers
used to check that by comparing the two tables in the join (``readability.path = page.path``),
which PostgreSQL takes to match one row where there are tens of thousands, and plans for.
Now ``current`` holds the answer, set by the database's triggers
(``disclosure/models/visibility_triggers.py``), and a reader's filter is on one table.

PostgreSQL's triggers are created here; SQLite's by every ``migrate`` once it has run its
migrations (``signal_handlers.py``), since SQLite cannot rebuild a table that another's trigger names.
"""

from django.db import migrations, models


def create(apps, schema_editor):
    from disclosure.models.visibility_triggers import install, installed_on_migrate

    if not installed_on_migrate(schema_editor.connection):
        install(schema_editor.connection)


def drop(apps, schema_editor):
    from disclosure.models.visibility_triggers import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0025_search_entry_vector_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="pagereadability",
            name="current",
            field=models.BooleanField(default=False, editable=False, verbose_name="current"),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
