"""titles of training sessions and events in other languages

Revision ID: 7d9a3e4f1c62
Revises: 6c8f2d3e0b51
Create Date: 2026-12-04 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d9a3e4f1c62'
down_revision = '6c8f2d3e0b51'
branch_labels = None
depends_on = None


TABLES = ('training_session', 'event')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('title_translations', sa.JSON(), server_default='{}', nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('title_translations')
