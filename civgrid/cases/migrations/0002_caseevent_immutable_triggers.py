"""The case history is append-only in the database itself, not only in the model.

CaseEvent.save/delete refuse already; these triggers also stop a queryset .update(), raw SQL
or an admin shell from rewriting history. Deleting is blocked on PostgreSQL only: SQLite's
test flush empties tables with DELETE, while PostgreSQL's uses TRUNCATE (no row trigger).
"""

from django.db import migrations

PG_FORWARD = """
CREATE FUNCTION civgrid_caseevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are immutable (%% on cases_caseevent)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER caseevent_no_update BEFORE UPDATE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION civgrid_caseevent_immutable();
CREATE TRIGGER caseevent_no_delete BEFORE DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION civgrid_caseevent_immutable();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS caseevent_no_update ON cases_caseevent;
DROP TRIGGER IF EXISTS caseevent_no_delete ON cases_caseevent;
DROP FUNCTION IF EXISTS civgrid_caseevent_immutable();
"""
SQLITE_FORWARD = """
CREATE TRIGGER caseevent_no_update BEFORE UPDATE ON cases_caseevent
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable (UPDATE on cases_caseevent)');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS caseevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
