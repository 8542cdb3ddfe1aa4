from . import crm_quality_review
from . import crm_quality_review_batch
