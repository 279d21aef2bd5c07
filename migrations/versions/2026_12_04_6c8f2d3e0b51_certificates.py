"""certificates with verification codes

Revision ID: 6c8f2d3e0b51
Revises: 5b7e1c2d9a40
Create Date: 2026-12-04 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c8f2d3e0b51'
down_revision = '5b7e1c2d9a40'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
