"""Imports every domain's models so the metadata is complete (Alembic, tests)."""
from registry.alignment.models import AlignmentMatch, HigherLevelItem, ListLevel  # noqa: F401
from registry.audit.models import AuditEvent  # noqa: F401
from registry.auth.models import ApiToken, Role, User, UserRole  # noqa: F401
from registry.imports.models import ImportUpload  # noqa: F401
from registry.items.models import (  # noqa: F401
    ApplicantType,
    ApprovalLevel,
    BasisKind,
    Decision,
    Department,
    DepartmentKind,
    InstrumentType,
    IssuerLevel,
    Item,
    ItemCategory,
    LegalBasis,
)
from registry.public.models import ItemSearchDoc, ItemSearchToken  # noqa: F401
from registry.review.models import (  # noqa: F401
    Attachment,
    Comment,
    CommentKind,
    Justification,
    Review,
    ReviewRound,
    ReviewState,
    RoundState,
)
