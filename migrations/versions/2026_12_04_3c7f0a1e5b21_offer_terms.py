"""offer terms

Revision ID: 3c7f0a1e5b21
Revises: 09e623511eb8
Create Date: 2026-12-04 06:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7f0a1e5b21'
down_revision = '09e623511eb8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('offer_end_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('offer_hours_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('offer_place', sa.String(length=200), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('offer_contact', sa.String(length=200), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('offer_message', sa.String(length=2000), server_default='', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_application_offer_ends_after_start'),
            'offer_end_date IS NULL OR offer_start_date IS NULL '
            'OR offer_end_date >= offer_start_date',
        )
        batch_op.create_check_constraint(
            op.f('ck_application_offer_hours_in_range'),
            'offer_hours_per_week IS NULL '
            'OR (offer_hours_per_week > 0 AND offer_hours_per_week <= 60)',
        )


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_application_offer_hours_in_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_application_offer_ends_after_start'), type_='check')
        batch_op.drop_column('offer_message')
        batch_op.drop_column('offer_contact')
        batch_op.drop_column('offer_place')
        batch_op.drop_column('offer_hours_per_week')
        batch_op.drop_column('offer_end_date')
        batch_op.drop_column('offer_start_date')
