"""Training material, sessions and registrations, re-exported by topic module.

``MigrationStatus`` lives in ``tcri_site.reference``; it is re-exported here for the code
that still imports it from trainings.
"""

from tcri_site.reference.models import MigrationStatus
from trainings.models.blocks import (
    RICH_FEATURES,
    TRAINING_BLOCKS,
    CalloutBlock,
    CaseStudyBlock,
    DocumentBlock,
    FaqBlock,
    VideoLinkBlock,
)
from trainings.models.evaluation import (
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationKind,
    EvaluationQuestion,
)
from trainings.models.feeds import CalendarFeed
from trainings.models.pages import (
    GlossaryPage,
    Level,
    TrainingIndexPage,
    TrainingPage,
    TrainingPageTag,
    catalogue_url,
    glossary_url,
)
from trainings.models.questions import QuestionKind, RegistrationAnswer, RegistrationQuestion
from trainings.models.sessions import (
    Registration,
    RegistrationQuerySet,
    RegistrationStatus,
    SessionFormat,
    SessionStatus,
    TrainingSession,
)

__all__ = [
    "RICH_FEATURES",
    "TRAINING_BLOCKS",
    "CalendarFeed",
    "CalloutBlock",
    "CaseStudyBlock",
    "DocumentBlock",
    "EvaluationAnswer",
    "EvaluationInvitation",
    "EvaluationQuestion",
    "FaqBlock",
    "GlossaryPage",
    "Level",
    "MigrationStatus",
    "EvaluationKind",
    "QuestionKind",
    "Registration",
    "RegistrationAnswer",
    "RegistrationQuestion",
    "RegistrationQuerySet",
    "RegistrationStatus",
    "SessionFormat",
    "SessionStatus",
    "TrainingIndexPage",
    "TrainingPage",
    "TrainingPageTag",
    "TrainingSession",
    "VideoLinkBlock",
    "catalogue_url",
    "glossary_url",
]
