"""outbox delivery: status, retries with back-off, claims by concurrent senders

Revision ID: f2b4d6e8a0c1
Revises: a7c9e1b3d5f7
Create Date: 2026-12-04 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b4d6e8a0c1'
down_revision = 'a7c9e1b3d5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'status',
            sa.Enum('pending', 'sending', 'sent', 'failed', name='outboxstatus', native_enum=False,
                    create_constraint=True, length=16),
            server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('claim_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)
    # Every message not yet sent is due at once, with its attempts so far counted.
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE sent_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_constraint(op.f('ck_outbox_message_outboxstatus'), type_='check')
        batch_op.drop_column('claim_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('status')
