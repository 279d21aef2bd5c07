"""Every feature's models, imported in one place so the metadata is complete for migrations."""

from marketplace.accounts.models import ConsentRecord, RoleGrant, User, UserSession
from marketplace.applications.models import Application
from marketplace.audit.models import AuditEntry
from marketplace.calendars.models import CalendarToken
from marketplace.certificates.models import Certificate
from marketplace.conversations.models import Message, ThreadRead
from marketplace.events.models import Event, Rsvp
from marketplace.mail.models import OutboxMessage
from marketplace.matching.models import (
    MatchingRound,
    MentorShare,
    RoundEntry,
    RoundPair,
    RoundPosting,
    UnmatchedParticipant,
)
from marketplace.mentors.models import (
    AvailabilityWindow,
    MentorExpertise,
    MentorLanguage,
    MentorProfile,
    Unavailability,
)
from marketplace.notifications.models import Notification
from marketplace.open_data.models import ApiToken
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.page_cache.models import DataVersion
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
)
from marketplace.placements.models import MentoringSession, Placement
from marketplace.plans.models import Plan, PlanGoal, PlanMeasure, PlanVersion
from marketplace.postings.models import Posting, PostingArea, PostingLanguage
from marketplace.questionnaires.models import (
    Answer,
    Question,
    Questionnaire,
    QuestionOption,
    Response,
)
from marketplace.recommendations.models import Invitation
from marketplace.reminders.models import ReminderLog
from marketplace.sites.models import Site, SiteHoursPlan, SitePartnership
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.two_factor.models import RecoveryCode, SecondFactor
from marketplace.workflow.models import StatusChange

__all__ = [
    "Answer",
    "ApiToken",
    "Application",
    "AuditEntry",
    "AvailabilityWindow",
    "CalendarToken",
    "Certificate",
    "ConsentRecord",
    "DataVersion",
    "Enrolment",
    "Event",
    "Invitation",
    "MatchingRound",
    "MentorExpertise",
    "MentorLanguage",
    "MentorProfile",
    "MentorShare",
    "MentoringSession",
    "Message",
    "Notification",
    "Organisation",
    "OrganisationMember",
    "OutboxMessage",
    "ParticipantInterest",
    "ParticipantLanguage",
    "ParticipantProfile",
    "Placement",
    "Plan",
    "PlanGoal",
    "PlanMeasure",
    "PlanVersion",
    "Posting",
    "PostingArea",
    "PostingLanguage",
    "Question",
    "QuestionOption",
    "Questionnaire",
    "RecommendedSupport",
    "RecoveryCode",
    "ReminderLog",
    "Response",
    "RoleGrant",
    "RoundEntry",
    "RoundPair",
    "RoundPosting",
    "Rsvp",
    "SecondFactor",
    "Site",
    "SiteHoursPlan",
    "SitePartnership",
    "StatusChange",
    "ThreadRead",
    "TrainingSession",
    "Unavailability",
    "UnmatchedParticipant",
    "User",
    "UserSession",
]
