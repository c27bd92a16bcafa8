-- Installs the guard of one table. The UPDATE trigger fires only for statements that SET an
-- immutable column (UPDATE OF <every other column>), so the updates posting makes to the cached
-- open/remaining fields never pay for the row comparison. The column list is fixed when the
-- trigger is made: a migration adding a column to a guarded table calls this again.
CREATE OR REPLACE FUNCTION lettrage_guard(tbl regclass, mutable text[]) RETURNS void AS $$
DECLARE
    name text := (SELECT relname FROM pg_class WHERE oid = tbl);
    fixed text;
    args text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO fixed
    FROM pg_attribute
    WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND NOT attname = ANY(mutable);
    SELECT coalesce(string_agg(quote_literal(m), ', '), '') INTO args FROM unnest(mutable) m;
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_append_only', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_no_update', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_no_truncate', tbl);
    EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %s FOR EACH ROW '
                   'EXECUTE FUNCTION lettrage_append_only()', name || '_append_only', tbl);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF %s ON %s FOR EACH ROW '
                   'EXECUTE FUNCTION lettrage_append_only(%s)', name || '_no_update', fixed,
                   tbl, args);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT '
                   'EXECUTE FUNCTION lettrage_append_only()', name || '_no_truncate', tbl);
END
$$ LANGUAGE plpgsql;
