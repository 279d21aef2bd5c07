"""individual plans

Revision ID: 8d2e4b6a9f03
Revises: 3c7f0a1e5b21
Create Date: 2026-12-04 06:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2e4b6a9f03'
down_revision = '3c7f0a1e5b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'individual_plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['participant_id'], ['participant_profile.id'],
            name=op.f('fk_individual_plan_participant_id_participant_profile'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_individual_plan')),
        sa.UniqueConstraint('participant_id', name=op.f('uq_individual_plan_participant_id')),
    )
    op.create_table(
        'individual_plan_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('proposed', 'agreed', 'replaced', name='versionstatus', native_enum=False,
                    create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('agreed_by_id', sa.Integer(), nullable=True),
        sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('number >= 1', name=op.f('ck_individual_plan_version_number_positive')),
        sa.ForeignKeyConstraint(
            ['plan_id'], ['individual_plan.id'],
            name=op.f('fk_individual_plan_version_plan_id_individual_plan'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['proposed_by_id'], ['user_account.id'],
            name=op.f('fk_individual_plan_version_proposed_by_id_user_account'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['agreed_by_id'], ['user_account.id'],
            name=op.f('fk_individual_plan_version_agreed_by_id_user_account'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_individual_plan_version')),
        sa.UniqueConstraint(
            'plan_id', 'number', name=op.f('uq_individual_plan_version_plan_id_number')
        ),
    )
    op.create_table(
        'individual_plan_goal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('target_date', sa.Date(), nullable=False),
        sa.Column('reached_on', sa.Date(), nullable=True),
        sa.Column('reached_note', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ['version_id'], ['individual_plan_version.id'],
            name=op.f('fk_individual_plan_goal_version_id_individual_plan_version'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_individual_plan_goal')),
        sa.UniqueConstraint(
            'version_id', 'position', name=op.f('uq_individual_plan_goal_version_id_position')
        ),
    )
    op.create_table(
        'individual_plan_measure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column(
            'measure',
            sa.Enum('local_language', 'culture', 'entrepreneurship', 'professional_identity',
                    'career_support', 'workplace_mentoring', 'events', name='measure',
                    native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column('planned_hours', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            'planned_hours >= 1 AND planned_hours <= 2000',
            name=op.f('ck_individual_plan_measure_hours_range'),
        ),
        sa.ForeignKeyConstraint(
            ['version_id'], ['individual_plan_version.id'],
            name=op.f('fk_individual_plan_measure_version_id_individual_plan_version'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_individual_plan_measure')),
        sa.UniqueConstraint(
            'version_id', 'measure', name=op.f('uq_individual_plan_measure_version_id_measure')
        ),
    )


def downgrade():
    op.drop_table('individual_plan_measure')
    op.drop_table('individual_plan_goal')
    op.drop_table('individual_plan_version')
    op.drop_table('individual_plan')
