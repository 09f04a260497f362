"""The reasons in English, for staff working in the English UI (the Chinese ones are in the
declarations; a test checks that every indicator has both)."""

from __future__ import annotations

REASONS_EN: dict[str, str] = {
    "age_years": "established {value} years ago",
    "registered_capital": "registered capital of {value} × 10,000 yuan",
    "natural_person_invested": "invested or owned by natural persons ({value})",
    "annual_reports_late_3y": "{value} annual reports late or missing in the last 3 years",
    "licences_lapsed_24m": "{value} licences lapsed in the last 24 months",
    "valid_licences": "holds {value} valid licences",
    "notification_commitments_24m": "{value} notification commitments in the last 24 months",
    "penalties_24m": "{value} administrative penalties in the last 24 months",
    "heavy_penalties_36m": "{value} heavier administrative penalties in the last 36 months",
    "fines_36m": "fines of {value} yuan in the last 36 months",
    "problem_inspections_24m": "{value} inspections finding problems in the last 24 months",
    "clean_inspections_24m": "{value} inspections without problems in the last 24 months",
    "problem_share_60m": "{value}% of inspections found problems in the last 60 months",
    "penalties_60m": "{value} administrative penalties in the last 60 months",
    "anomaly_listings_36m": "listed {value} times on the business anomaly list in the last 36 months",
    "serious_listings_36m": "listed {value} times on the serious-violation list in the last 36 months",
    "untrue_commitments_36m": "{value} commitments found untrue in the last 36 months",
    "rep_other_listed": "{value} other enterprises of the same legal representative listed in the last 36 months",
    "rep_other_penalised": "{value} other enterprises of the same legal representative penalised in the last 24 months",
    "enterprises_at_address": "{value} other enterprises registered at the same address",
    "address_other_listed": "{value} other enterprises at the same address listed in the last 36 months",
    "complaints_12m": "{value} complaints in the last 12 months",
    "substantiated_complaints_24m": "{value} substantiated complaints in the last 24 months",
    "substantiated_complaints_60m": "{value} substantiated complaints in the last 60 months",
    "food_sampling_failures_24m": "{value} failed food sampling tests in the last 24 months",
    "food_penalties_36m": "{value} food safety penalties in the last 36 months",
    "food_licence_expiring": "{value} food production licences expired or expiring within 90 days",
    "food_complaints_24m": "{value} food complaints in the last 24 months",
    "se_inspection_failures_24m": "{value} failed special-equipment tests in the last 24 months",
    "se_penalties_36m": "{value} special-equipment safety penalties in the last 36 months",
    "se_licence_expiring": "{value} special-equipment licences expired or expiring within 90 days",
    "se_complaints_24m": "{value} special-equipment complaints or accidents in the last 24 months",
}
