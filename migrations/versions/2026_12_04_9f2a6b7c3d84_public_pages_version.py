"""the version of what public pages show, for copies of them kept for visitors

Revision ID: 9f2a6b7c3d84
Revises: 8e1f4a5b2c73
Create Date: 2026-12-04 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9f2a6b7c3d84'
down_revision = '8e1f4a5b2c73'
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        'public_pages_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_pages_version')),
    )
    op.bulk_insert(version, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('public_pages_version')
