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
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['participant_id'], ['participant_profile.id'],
            name=op.f('fk_certificate_participant_id_participant_profile'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['issued_by_id'], ['user_account.id'],
            name=op.f('fk_certificate_issued_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
        sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_certificate_participant_id'), ['participant_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_participant_id'))
    op.drop_table('certificate')
