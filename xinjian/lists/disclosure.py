"""What the lists contribute to an enterprise's public profile (asked by disclosure).

CONTRACT (owned by the lists work, issue 7): `public_listings(enterprise, on)` returns
{"anomaly_listings": [dict, ...], "serious_listing": dict | None} holding only what is
public on `on`. Until the lists exist there are no listings to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def public_listings(enterprise: Any, on: dt.date) -> dict[str, Any]:
    return {"anomaly_listings": [], "serious_listing": None}
