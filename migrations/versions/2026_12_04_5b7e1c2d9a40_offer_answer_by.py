"""offer answer-by date

Revision ID: 5b7e1c2d9a40
Revises: 8d2e4b6a9f03
Create Date: 2026-12-04 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e1c2d9a40'
down_revision = '8d2e4b6a9f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_answer_by', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('offer_answer_by')
