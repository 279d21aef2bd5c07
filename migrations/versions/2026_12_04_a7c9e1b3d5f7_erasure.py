"""privacy and accounts: a person's request to erase their data and when it was done, how long a
site keeps inactive participants, and the second login step

Revision ID: a7c9e1b3d5f7
Revises: e8b0d2f4a6c7
Create Date: 2026-12-04 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c9e1b3d5f7'
down_revision = 'e8b0d2f4a6c7'
branch_labels = None
depends_on = None


# Plain ADD COLUMN, not a batch copy: on SQLite a copy would drop the search triggers of
# user_account (migration 8e1f4a5b2c73).
def upgrade():
    op.add_column('user_account', sa.Column('erasure_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('user_account', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('site', sa.Column('retention_months', sa.Integer(), nullable=True))
    op.add_column('site', sa.Column('staff_second_factor', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('second_factor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_step', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_second_factor_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor')),
    sa.UniqueConstraint('user_id', name=op.f('uq_second_factor_user_id'))
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('user_id', 'code_hash', name=op.f('uq_recovery_code_user_id_code_hash'))
    )
    op.create_index(op.f('ix_recovery_code_user_id'), 'recovery_code', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_recovery_code_user_id'), table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('second_factor')
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('staff_second_factor')
        batch_op.drop_column('retention_months')
    # Plain DROP COLUMN (SQLite 3.35 and later) keeps user_account's search triggers.
    op.drop_column('user_account', 'erased_at')
    op.drop_column('user_account', 'erasure_requested_at')
