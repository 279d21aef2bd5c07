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


def upgrade():
    pass


def downgrade():
    pass
