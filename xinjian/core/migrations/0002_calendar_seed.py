from django.db import migrations


def forwards(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    from xinjian.core.workdays import calendar_rows

    for year, rows in calendar_rows().items():
        if CalendarYear.objects.filter(year=year).exists():
            continue
        CalendarDay.objects.bulk_create([CalendarDay(day=d, is_working=w, name=n) for d, w, n in rows],
                                        ignore_conflicts=True)
        CalendarYear.objects.create(year=year, source=f"chinese-calendar {chinese_calendar.__version__}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
