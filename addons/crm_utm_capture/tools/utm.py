"""The UTM dimensions of the suite, declared once.

Every list of UTM fields in this addon (form parameters, e-mail labels, cookies, the
touchpoint and lead fields, the first/last-touch report) is derived from
``UTM_DIMENSIONS``: adding a dimension here and its fields on the models is enough.
"""

from collections import namedtuple

UtmDimension = namedtuple(
    "UtmDimension",
    [
        "param",  # URL / form parameter and e-mail label: utm_source
        "field",  # field of utm.mixin (lead, touchpoint): source_id
        "model",  # comodel of a Many2one dimension, None for a text dimension
        "last_field",  # last-touch field of crm.lead: last_source_id
        "text_field",  # touchpoint field keeping a value no record matches, or None
    ],
)

UTM_DIMENSIONS = (
    UtmDimension("utm_source", "source_id", "utm.source", "last_source_id", "source_text"),
    UtmDimension("utm_medium", "medium_id", "utm.medium", "last_medium_id", "medium_text"),
    UtmDimension(
        "utm_campaign", "campaign_id", "utm.campaign", "last_campaign_id", "campaign_text"
    ),
    UtmDimension("utm_term", "utm_term", None, "last_utm_term", None),
    UtmDimension("utm_content", "utm_content", None, "last_utm_content", None),
)
UTM_PARAMS = tuple(dimension.param for dimension in UTM_DIMENSIONS)
# Dimensions stored as records (utm.source, utm.medium, utm.campaign)
RECORD_DIMENSIONS = tuple(dimension for dimension in UTM_DIMENSIONS if dimension.model)
# Dimensions stored as text on utm.mixin (Odoo keeps only the record ones)
TEXT_DIMENSIONS = tuple(dimension for dimension in UTM_DIMENSIONS if not dimension.model)
CLICK_ID_PARAMS = ("gclid", "yclid", "fbclid")
