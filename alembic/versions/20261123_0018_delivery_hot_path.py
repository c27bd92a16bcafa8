"""finish a delivery (and complete its run) in one statement; PDFs stored uncompressed

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-23 16:05:00

A worker finishes thousands of deliveries a minute; in a transaction of its own each took
five round trips (BEGIN, lock the run, update, look for open deliveries, COMMIT). The same
steps in a function run as one statement. Each command of a volatile PL/pgSQL function takes
a fresh snapshot in READ COMMITTED, so the check for open deliveries, made after the run row
is locked, sees every delivery finished by a transaction that held the lock before: exactly
one finisher completes the run.

A statement's PDF is deflated already: PostgreSQL's default compression (pglz) spent ~1 ms
per stored PDF and then kept it uncompressed anyway (under its 25 % threshold), so the column
is stored out of line without compression (EXTERNAL).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE FUNCTION lettrage_finish_delivery(
    p_id bigint, p_status text, p_error text, p_uncertain boolean, p_reply text
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_run bigint;
    v_changed boolean;
BEGIN
    SELECT run_id INTO v_run FROM statement_deliveries WHERE id = p_id;
    IF v_run IS NOT NULL THEN
        PERFORM 1 FROM statement_runs WHERE id = v_run FOR UPDATE;
    END IF;
    UPDATE statement_deliveries
       SET status = p_status, error = p_error, uncertain = p_uncertain, smtp_reply = p_reply,
           sent_at = CASE WHEN p_status = 'SENT' THEN now() END
     WHERE id = p_id AND status IN ('PENDING', 'SENDING');
    v_changed := FOUND;
    IF v_run IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM statement_deliveries
         WHERE run_id = v_run AND status IN ('PENDING', 'SENDING')
    ) THEN
        UPDATE statement_runs SET status = 'COMPLETED', completed_at = now()
         WHERE id = v_run AND status IN ('QUEUED', 'RUNNING');
    END IF;
    RETURN v_changed;
END
$$
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute("ALTER TABLE statement_deliveries ALTER COLUMN pdf SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.execute("ALTER TABLE statement_deliveries ALTER COLUMN pdf SET STORAGE EXTENDED")
    op.execute(
        "DROP FUNCTION lettrage_finish_delivery(bigint, text, text, boolean, text)"
    )
