"""monitoring partner role

Revision ID: c5e7a9b1d3f4
Revises: b4d6f8a0c2e3
Create Date: 2026-12-04 19:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c5e7a9b1d3f4'
down_revision = 'b4d6f8a0c2e3'
branch_labels = None
depends_on = None

OLD_ROLES = ('participant', 'mentor', 'employer_staff', 'coordinator', 'super_admin')
NEW_ROLES = OLD_ROLES + ('partner',)


def _allow(roles):
    listed = ", ".join(f"'{role}'" for role in roles)
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_role_grant_role'), f"role IN ({listed})")


def upgrade():
    _allow(NEW_ROLES)


def downgrade():
    op.execute("DELETE FROM role_grant WHERE role = 'partner'")
    _allow(OLD_ROLES)
