"""A stored reader row is withdrawn when anything above it changes, by any writer.

A page going live or not or moving withdraws the rows of every page below it, and a view
restriction added, changed or removed withdraws the rows at and below its page: their answer
follows from it (nobody reads below an unpublished page), so until they are rewritten from the
tree they are read by nobody. A withdrawn row is marked current again only when it is written,
and on PostgreSQL a row naming readers only while every page above it is live (checked under
lock). The service rewrites the rows in the same transaction; a page unpublished around Django
(a queryset ``update``, raw SQL) used to leave the rows below it current, and its publications
readable, until ``refresh_visibility`` ran. See ``disclosure/models/visibility_triggers.py``;
SQLite's triggers are installed by every ``migrate`` (``signal_handlers.py``).
"""

from django.db import migrations


def replace(apps, schema_editor):
    from disclosure.models.visibility_triggers import install, installed_on_migrate

    if not installed_on_migrate(schema_editor.connection):
        install(schema_editor.connection, mark=False)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0026_page_readability_current")]

    operations = [migrations.RunPython(replace, migrations.RunPython.noop, elidable=False)]
