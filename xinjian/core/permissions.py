"""What a person may do. Pages and endpoints declare one of these; roles grant them
(core.roles)."""

from enum import StrEnum


class Perm(StrEnum):
    VIEW_REGISTER = "view_register"  # search and open enterprises in the jurisdiction
    TAG_KEY_AREA = "tag_key_area"  # tag / untag by hand
    EXPORT = "export"  # Excel downloads of lists
    INGEST = "ingest"  # upload files, see batches and rejects
    VIEW_COMPLAINTS = "view_complaints"  # complaints are never public
    VIEW_RISK = "view_risk"  # risk classes are internal
    MANAGE_MODELS = "manage_models"  # draft / activate risk models
    MANAGE_LISTS = "manage_lists"  # propose and prepare list decisions
    APPROVE = "approve"  # sign decisions
    MANAGE_INSPECTIONS = "manage_inspections"  # plans, tasks, draws
    ENTER_RESULTS = "enter_results"  # inspection results
    MANAGE_COMMITMENTS = "manage_commitments"
    MANAGE_REPAIR = "manage_repair"
    MANAGE_SHARING = "manage_sharing"  # subscriptions, clients, dead letters
    PUBLISH_CASES = "publish_cases"  # typical cases
    PUBLISH_INTEGRITY = "publish_integrity"  # 诚信建设 articles and policy explainers
    MANAGE_RULES = "manage_rules"  # rule tables, calendar, reference data
    MANAGE_DISCLOSURE = "manage_disclosure"  # publish / withdraw, moderate enterprise replies
    MANAGE_ACCOUNTS = "manage_accounts"  # see and lift login / API-token lockouts
