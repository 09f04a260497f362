"""What the lists contribute to an enterprise's public profile (asked by disclosure).

CONTRACT (owned by the lists work, issue 7): `public_listings(enterprise, on)` returns
{"anomaly_listings": [dict, ...], "serious_listing": dict | None} holding only what is
public on `on`:

- anomaly listings listed by `on`, with their removal once removed (ground, listed_on,
  decision_no, decided_by, removed_on, removal_reason, removal_decision_no…); a revoked
  listing (made in error) disappears;
- the serious listing published by `on` and not ended by then (ground, decided_on,
  decision_no, decided_by, published_on, expires_on, measures). After early removal
  through credit repair the public record shows neither the listing nor the removal
  (Order 44 art. 20); a revoked listing disappears.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .queries import anomaly_dict, public_anomaly, public_serious, serious_dict


def public_listings(enterprise: Any, on: dt.date) -> dict[str, Any]:
    anomaly = [
        anomaly_dict(a, on)
        for a in public_anomaly(on).filter(enterprise=enterprise).order_by("-listed_on", "-id")
    ]
    serious = public_serious(on).filter(enterprise=enterprise).order_by("-published_on", "-id").first()
    return {"anomaly_listings": anomaly, "serious_listing": serious_dict(serious) if serious else None}
