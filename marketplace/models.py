"""Every feature's models, imported in one place so the metadata is complete for migrations."""

from marketplace.accounts.models import ConsentRecord, RoleGrant, User, UserSession
from marketplace.audit.models import AuditEntry
from marketplace.mail.models import OutboxMessage
from marketplace.sites.models import Site, SiteHoursPlan

__all__ = [
    "AuditEntry",
    "ConsentRecord",
    "OutboxMessage",
    "RoleGrant",
    "Site",
    "SiteHoursPlan",
    "User",
    "UserSession",
]
