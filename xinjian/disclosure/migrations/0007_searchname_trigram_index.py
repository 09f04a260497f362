"""PostgreSQL: a pg_trgm GIN index on the normalised names, for counting the matches of a
3+ character fragment (docs/adr/0031, amended by 0099). SQLite: nothing (its count walks
the bigram postings as before). pg_trgm ships with PostgreSQL and is a trusted extension:
the database owner may create it."""

from django.db import migrations

TRGM_INDEX = "disclosure_searchname_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON disclosure_searchname USING gin (name_norm gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0006_rule_keys_by_party_type")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
