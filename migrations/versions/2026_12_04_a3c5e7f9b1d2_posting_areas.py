"""work areas of postings, participants' available dates, invitations to apply: for matching

Revision ID: a3c5e7f9b1d2
Revises: 9f2a6b7c3d84
Create Date: 2026-12-04 16:00:00

Existing postings get no area; they are matched on language and place only. Participants
say from when (and until when) they can take a place; both are optional.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = '9f2a6b7c3d84'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'posting_area',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.Enum('front_office', 'housekeeping', 'kitchen', 'service', 'management', 'entrepreneurship', name='expertise', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_area_posting_id_posting'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_area')),
        sa.UniqueConstraint('posting_id', 'area', name=op.f('uq_posting_area_posting_id_area')),
    )
    op.create_index('ix_posting_area_area', 'posting_area', ['area', 'posting_id'], unique=False)
    op.create_index('ix_posting_status_start_date', 'posting', ['status', 'start_date'], unique=False)
    op.create_table(
        'posting_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_posting_invitation_invited_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant_profile.id'], name=op.f('fk_posting_invitation_participant_id_participant_profile'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_posting_invitation_posting_id_posting'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_invitation')),
        sa.UniqueConstraint('posting_id', 'participant_id', name=op.f('uq_posting_invitation_posting_id_participant_id')),
    )
    op.create_index('ix_posting_invitation_participant', 'posting_invitation', ['participant_id', 'posting_id'], unique=False)
    with op.batch_alter_table('participant_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('available_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('available_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('participant_profile', schema=None) as batch_op:
        batch_op.drop_column('available_until')
        batch_op.drop_column('available_from')
    op.drop_index('ix_posting_invitation_participant', table_name='posting_invitation')
    op.drop_table('posting_invitation')
    op.drop_index('ix_posting_status_start_date', table_name='posting')
    op.drop_index('ix_posting_area_area', table_name='posting_area')
    op.drop_table('posting_area')
