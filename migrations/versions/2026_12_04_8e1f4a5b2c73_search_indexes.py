"""indexes that serve word search, lists of people and the coordinators' to-do list

Search finds words anywhere in a row's normalised ``search_text`` (marketplace/search.py). A
B-tree index cannot serve ``LIKE '%words%'``, so each searchable table gets an index made for it:
on PostgreSQL a trigram GIN index (pg_trgm), on SQLite an FTS5 table with the trigram tokenizer,
kept in step with the table by triggers.

SQLite drops a table's triggers with the table, and batch migrations recreate tables: a later
migration that batch-alters one of these tables must run ``create_sqlite_search_index`` again.

Revision ID: 8e1f4a5b2c73
Revises: 7d9a3e4f1c62
Create Date: 2026-12-04 12:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8e1f4a5b2c73'
down_revision = '7d9a3e4f1c62'
branch_labels = None
depends_on = None


SEARCHABLE = ('user_account', 'posting', 'organisation')


def create_sqlite_search_index(table):
    index = f'{table}_search'
    op.execute(
        f"CREATE VIRTUAL TABLE {index} USING fts5("
        f"search_text, content='{table}', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def drop_sqlite_search_index(table):
    index = f'{table}_search'
    for trigger in ('insert', 'delete', 'update'):
        op.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {index}")


def upgrade():
    op.create_index('ix_user_account_display_name', 'user_account', ['display_name', 'id'])
    op.create_index('ix_application_status_updated_at', 'application', ['status', 'updated_at'])
    op.create_index(
        'ix_application_posting_created_at', 'application', ['posting_id', 'created_at']
    )
    op.create_index(
        'ix_training_enrolment_session_attended', 'training_enrolment', ['session_id', 'attended']
    )
    op.create_index(
        'ix_participant_profile_site_status_updated_at',
        'participant_profile',
        ['site_id', 'status', 'updated_at'],
    )
    op.drop_index('ix_participant_profile_site_status', 'participant_profile')
    op.create_index(
        'ix_individual_plan_version_status_proposed_at',
        'individual_plan_version',
        ['status', 'proposed_at'],
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in SEARCHABLE:
            op.execute(
                f"CREATE INDEX ix_{table}_search_trigram ON {table} "
                "USING gin (search_text gin_trgm_ops)"
            )
    else:
        for table in SEARCHABLE:
            create_sqlite_search_index(table)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in SEARCHABLE:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trigram")
    else:
        for table in SEARCHABLE:
            drop_sqlite_search_index(table)
    op.drop_index('ix_individual_plan_version_status_proposed_at', 'individual_plan_version')
    op.create_index(
        'ix_participant_profile_site_status', 'participant_profile', ['site_id', 'status']
    )
    op.drop_index('ix_participant_profile_site_status_updated_at', 'participant_profile')
    op.drop_index('ix_training_enrolment_session_attended', 'training_enrolment')
    op.drop_index('ix_application_status_updated_at', 'application')
    op.drop_index('ix_application_posting_created_at', 'application')
    op.drop_index('ix_user_account_display_name', 'user_account')
