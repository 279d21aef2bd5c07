"""Every feature's models, imported in one place so the metadata is complete for migrations."""

from marketplace.accounts.models import RoleGrant, User
from marketplace.audit.models import AuditEntry
from marketplace.mail.models import OutboxMessage
from marketplace.sites.models import Site

__all__ = ["AuditEntry", "OutboxMessage", "RoleGrant", "Site", "User"]
