from django.db import migrations

# Wagtail's admin asks for the tree's root on every admin page (the page explorer's menu item:
# ``filter(depth=1)``), and the sites' home pages are the pages at depth 2. Wagtail's page
# table has no index on depth, so each such question scanned every page: 6 ms per admin page
# at 53,000 pages. A partial index holds only the top two levels (a dozen rows).
INDEX = "disclosure_page_tree_top"


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0010_publication_date_covering_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (depth, path) "
            "WHERE depth <= 2",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
