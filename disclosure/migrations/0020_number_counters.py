import django.db.models.deletion
from django.db import migrations, models

# Tracking numbers (one counter per institution, case kind and year) and notice numbers (one per
# institution, notice series and year) are drawn from one counter table. A case kind and a
# notice series never share a value, so each old row keeps its key, the kind becoming the series.

CASE_KINDS = ("request", "consultation")


def forwards(apps, schema_editor):
    NumberCounter = apps.get_model("disclosure", "NumberCounter")
    TrackingCounter = apps.get_model("disclosure", "TrackingCounter")
    NoticeCounter = apps.get_model("disclosure", "NoticeCounter")
    rows = [
        NumberCounter(site_id=row.site_id, series=row.kind, year=row.year, last=row.last)
        for row in TrackingCounter.objects.all()
    ]
    rows += [
        NumberCounter(site_id=row.site_id, series=row.series, year=row.year, last=row.last)
        for row in NoticeCounter.objects.all()
    ]
    NumberCounter.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    NumberCounter = apps.get_model("disclosure", "NumberCounter")
    TrackingCounter = apps.get_model("disclosure", "TrackingCounter")
    NoticeCounter = apps.get_model("disclosure", "NoticeCounter")
    counters = list(NumberCounter.objects.all())
    TrackingCounter.objects.bulk_create(
        TrackingCounter(site_id=row.site_id, kind=row.series, year=row.year, last=row.last)
        for row in counters
        if row.series in CASE_KINDS
    )
    NoticeCounter.objects.bulk_create(
        NoticeCounter(site_id=row.site_id, series=row.series, year=row.year, last=row.last)
        for row in counters
        if row.series not in CASE_KINDS
    )


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0019_request_notices'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='NumberCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series', models.CharField(choices=[('request', 'Disclosure request'), ('consultation', 'Consultation'), ('correction', 'Correction notice'), ('extension', 'Extension notice'), ('reply', 'Reply'), ('third_party', 'Third-party consultation letter')], max_length=20)),
                ('year', models.PositiveSmallIntegerField()),
                ('last', models.PositiveIntegerField(default=0)),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('site', 'series', 'year'), name='unique_number_counter')],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(
            name='NoticeCounter',
        ),
        migrations.DeleteModel(
            name='TrackingCounter',
        ),
    ]
