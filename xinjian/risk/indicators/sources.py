"""The record tables indicators aggregate over: one grouped subquery per source, so each
table is read once per run."""

from __future__ import annotations

from xinjian.collection.models import PROBLEM_RESULTS

from .base import Source

_PROBLEM_LIST = ", ".join(f"'{r}'" for r in sorted(PROBLEM_RESULTS))

_LISTED = "x.action = 'add' AND x.decided_on > {d_36m}"
SOURCES: dict[str, Source] = {
    "pen": Source(
        "collection_penalty x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.status = 'in_force' AND x.decided_on <= {d}",
        "pen.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "insp": Source(
        "collection_inspection x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.inspected_on <= {d}",
        "insp.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "cmp": Source(
        "collection_complaint x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.received_on <= {d}",
        "cmp.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "ar": Source(
        "collection_annualreport x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.filed_on <= {d} AND x.year >= {y3}",
        "ar.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "ld": Source(
        "collection_listdecision x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.decided_on <= {d}",
        "ld.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "lic": Source(
        "collection_licence x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.issued_on <= {d}",
        "lic.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "com": Source(
        "collection_commitmentrecord x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.committed_on <= {d}",
        "com.k = e.id",
        "x.enterprise_id {scope}",
    ),
    # Untrue-commitment findings (commitments app): the conclusion date is the as-of test.
    "unt": Source(
        "commitments_verification x",
        "x.enterprise_id",
        "x.status = 'untrue' AND x.concluded_on <= {d}",
        "unt.k = e.id",
        "x.enterprise_id {scope}",
    ),
    # Related parties: grouped by the legal representative's name / the address, counting
    # the enterprises behind them (the outer expression removes the enterprise itself).
    "rep_ld": Source(
        "collection_listdecision x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.decided_on <= {d} AND " + _LISTED,
        "rep_ld.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "rep_pen": Source(
        "collection_penalty x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.status = 'in_force' AND x.decided_on <= {d} AND x.decided_on > {d_24m}",
        "rep_pen.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "addr": Source(
        "registry_enterprise o",
        "o.address",
        "o.address <> '' AND o.established_on <= {d} AND o.status = 'operating'",
        "addr.k = e.address",
        "o.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
    "addr_ld": Source(
        "collection_listdecision x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.address",
        "o.address <> '' AND x.archived_at IS NULL AND x.decided_on <= {d} AND " + _LISTED,
        "addr_ld.k = e.address",
        "o.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
    # Inspections of related enterprises (issue 17): grouped by the legal representative's
    # name / the address of the inspected enterprise; the outer expressions remove the
    # enterprise's own inspections.
    "rep_insp": Source(
        "collection_inspection x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.inspected_on <= {d} AND x.inspected_on > {d_60m}",
        "rep_insp.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "addr_insp": Source(
        "collection_inspection x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.address",
        "o.address <> '' AND x.archived_at IS NULL AND x.inspected_on <= {d} AND x.inspected_on > {d_60m}",
        "addr_insp.k = e.address",
        "o.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
    # The legal representative's enterprises (issue 17): how many operate, and how many
    # annual reports of the last three due years they owe; with `rep_ar` (reports filed on
    # time) and `rep_cmp` (substantiated complaints) the outer expressions give rates over
    # the representative's *other* enterprises.
    "rep_ent": Source(
        "registry_enterprise o",
        "o.legal_representative",
        "o.status = 'operating' AND o.established_on <= {d}",
        "rep_ent.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "rep_ar": Source(
        "collection_annualreport x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "o.status = 'operating' AND o.established_on <= {d} AND x.filed_on <= {d} AND x.year >= {y3}",
        "rep_ar.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "rep_cmp": Source(
        "collection_complaint x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.received_on <= {d} AND x.received_on > {d_36m}",
        "rep_cmp.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    # Two hops (issue 17): the inspections at every address where the legal
    # representative's enterprises are registered (representative → enterprises →
    # addresses → everyone registered there), and the inspections of every enterprise run
    # by a legal representative registered at the enterprise's address (address →
    # enterprises → representatives → all their enterprises). An inspection reached along
    # several paths counts once (COUNT(DISTINCT x.id)). One level of grouping and no
    # DISTINCT subquery: PostgreSQL plans nested loops over tables without statistics (a
    # fresh load), and a grouped subquery nested in another is then re-run for every row.
    "rep2_insp": Source(
        "registry_enterprise p JOIN registry_enterprise o ON o.address = p.address "
        "JOIN collection_inspection x ON x.enterprise_id = o.id",
        "p.legal_representative",
        "p.address <> '' AND p.status = 'operating' AND p.established_on <= {d} "
        "AND x.archived_at IS NULL AND x.inspected_on <= {d} AND x.inspected_on > {d_60m}",
        "rep2_insp.k = e.legal_representative",
        "p.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "addr2_insp": Source(
        "registry_enterprise p JOIN registry_enterprise o ON o.legal_representative = p.legal_representative "
        "JOIN collection_inspection x ON x.enterprise_id = o.id",
        "p.address",
        "p.address <> '' AND p.status = 'operating' AND p.established_on <= {d} "
        "AND x.archived_at IS NULL AND x.inspected_on <= {d} AND x.inspected_on > {d_60m}",
        "addr2_insp.k = e.address",
        "p.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
    # The trade as the registered business scope shows it (issue 17): inspections of the
    # enterprises registered with the same scope. Scopes are registered from the
    # standardised wording (经营范围规范表述), so equal scopes are one line of business.
    "scope_insp": Source(
        "collection_inspection x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.business_scope",
        "o.business_scope <> '' AND x.archived_at IS NULL AND x.inspected_on <= {d} AND x.inspected_on > {d_60m}",
        "scope_insp.k = e.business_scope",
        "o.business_scope IN (SELECT business_scope FROM registry_enterprise WHERE id {scope})",
    ),
    # The trade as the licences show it: per licence held, the share of inspections finding a
    # problem among all holders of that type of licence (inner query, once per run).
    "trade_insp": Source(
        "collection_licence x JOIN (SELECT l.licence_type AS t, "
        f"SUM(CASE WHEN i.result IN ({_PROBLEM_LIST}) THEN 1 ELSE 0 END) AS bad, COUNT(*) AS n "
        "FROM collection_inspection i JOIN collection_licence l ON l.enterprise_id = i.enterprise_id "
        "WHERE i.archived_at IS NULL AND i.inspected_on <= {d} AND i.inspected_on > {d_60m} "
        "AND l.archived_at IS NULL AND l.issued_on <= {d} GROUP BY l.licence_type) r ON r.t = x.licence_type",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.issued_on <= {d}",
        "trade_insp.k = e.id",
        "x.enterprise_id {scope}",
    ),
}
