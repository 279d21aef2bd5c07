"""matching rounds: postings with capacities, mentor shares, ranks, pairs, unmatched

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-04 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e3'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'matching_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column(
            'status',
            sa.Enum('open', 'draft', 'published', 'cancelled', name='roundstatus',
                    native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('runs', sa.Integer(), nullable=False),
        sa.Column('ran_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('run_milliseconds', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('runs >= 0', name=op.f('ck_matching_round_runs_not_negative')),
        sa.ForeignKeyConstraint(
            ['site_id'], ['site.id'], name=op.f('fk_matching_round_site_id_site'),
            ondelete='RESTRICT',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'],
            name=op.f('fk_matching_round_created_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['published_by_id'], ['user_account.id'],
            name=op.f('fk_matching_round_published_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_round')),
    )
    op.create_index(
        'ix_matching_round_site_created', 'matching_round', ['site_id', 'created_at'],
        unique=False,
    )
    op.create_table(
        'matching_round_posting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('open_places', sa.Integer(), nullable=True),
        sa.Column('capacity', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'capacity IS NULL OR capacity >= 0',
            name=op.f('ck_matching_round_posting_capacity_not_negative'),
        ),
        sa.CheckConstraint(
            'open_places IS NULL OR open_places >= 0',
            name=op.f('ck_matching_round_posting_open_places_not_negative'),
        ),
        sa.ForeignKeyConstraint(
            ['round_id'], ['matching_round.id'],
            name=op.f('fk_matching_round_posting_round_id_matching_round'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['posting_id'], ['posting.id'],
            name=op.f('fk_matching_round_posting_posting_id_posting'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_round_posting')),
        sa.UniqueConstraint(
            'round_id', 'posting_id', name=op.f('uq_matching_round_posting_round_id_posting_id')
        ),
    )
    op.create_index(
        'ix_matching_round_posting_posting', 'matching_round_posting', ['posting_id'],
        unique=False,
    )
    op.create_table(
        'matching_mentor_share',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_posting_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('places', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            'places >= 1', name=op.f('ck_matching_mentor_share_at_least_one_place')
        ),
        sa.ForeignKeyConstraint(
            ['round_posting_id'], ['matching_round_posting.id'],
            name=op.f('fk_matching_mentor_share_round_posting_id_matching_round_posting'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['mentor_id'], ['mentor_profile.id'],
            name=op.f('fk_matching_mentor_share_mentor_id_mentor_profile'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_mentor_share')),
        sa.UniqueConstraint(
            'round_posting_id', 'mentor_id',
            name=op.f('uq_matching_mentor_share_round_posting_id_mentor_id'),
        ),
    )
    op.create_index(
        'ix_matching_mentor_share_mentor', 'matching_mentor_share', ['mentor_id'], unique=False
    )
    op.create_table(
        'matching_round_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('participant_rank', sa.Integer(), nullable=True),
        sa.Column('posting_rank', sa.Integer(), nullable=True),
        sa.Column('participant_position', sa.Integer(), nullable=True),
        sa.Column('posting_position', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'participant_rank IS NULL OR participant_rank >= 1',
            name=op.f('ck_matching_round_entry_participant_rank_positive'),
        ),
        sa.CheckConstraint(
            'posting_rank IS NULL OR posting_rank >= 1',
            name=op.f('ck_matching_round_entry_posting_rank_positive'),
        ),
        sa.ForeignKeyConstraint(
            ['round_id'], ['matching_round.id'],
            name=op.f('fk_matching_round_entry_round_id_matching_round'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['application_id'], ['application.id'],
            name=op.f('fk_matching_round_entry_application_id_application'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_round_entry')),
        sa.UniqueConstraint(
            'round_id', 'application_id',
            name=op.f('uq_matching_round_entry_round_id_application_id'),
        ),
    )
    op.create_index(
        'ix_matching_round_entry_application', 'matching_round_entry', ['application_id'],
        unique=False,
    )
    op.create_table(
        'matching_round_pair',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=True),
        sa.Column('locked', sa.Boolean(), nullable=False),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.Column(
            'outcome',
            sa.Enum('offered', 'not_offered', name='pairoutcome', native_enum=False,
                    create_constraint=True, length=32),
            nullable=True,
        ),
        sa.Column('outcome_note', sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            'NOT (locked AND removed)', name=op.f('ck_matching_round_pair_locked_or_removed')
        ),
        sa.ForeignKeyConstraint(
            ['round_id'], ['matching_round.id'],
            name=op.f('fk_matching_round_pair_round_id_matching_round'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['application_id'], ['application.id'],
            name=op.f('fk_matching_round_pair_application_id_application'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['mentor_id'], ['mentor_profile.id'],
            name=op.f('fk_matching_round_pair_mentor_id_mentor_profile'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_round_pair')),
        sa.UniqueConstraint(
            'round_id', 'application_id',
            name=op.f('uq_matching_round_pair_round_id_application_id'),
        ),
    )
    op.create_index(
        'ix_matching_round_pair_application', 'matching_round_pair', ['application_id'],
        unique=False,
    )
    op.create_table(
        'matching_round_unmatched',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['round_id'], ['matching_round.id'],
            name=op.f('fk_matching_round_unmatched_round_id_matching_round'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['participant_id'], ['participant_profile.id'],
            name=op.f('fk_matching_round_unmatched_participant_id_participant_profile'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_round_unmatched')),
        sa.UniqueConstraint(
            'round_id', 'participant_id',
            name=op.f('uq_matching_round_unmatched_round_id_participant_id'),
        ),
    )


def downgrade():
    op.drop_table('matching_round_unmatched')
    op.drop_index('ix_matching_round_pair_application', table_name='matching_round_pair')
    op.drop_table('matching_round_pair')
    op.drop_index('ix_matching_round_entry_application', table_name='matching_round_entry')
    op.drop_table('matching_round_entry')
    op.drop_index('ix_matching_mentor_share_mentor', table_name='matching_mentor_share')
    op.drop_table('matching_mentor_share')
    op.drop_index('ix_matching_round_posting_posting', table_name='matching_round_posting')
    op.drop_table('matching_round_posting')
    op.drop_index('ix_matching_round_site_created', table_name='matching_round')
    op.drop_table('matching_round')
