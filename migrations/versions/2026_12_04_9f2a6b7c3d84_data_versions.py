"""versions of the data, for copies of pages and counts made for one version

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
        'data_version',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_version')),
    )
    op.bulk_insert(version, [{'name': 'public', 'version': 0}, {'name': 'any', 'version': 0}])


def downgrade():
    op.drop_table('data_version')
