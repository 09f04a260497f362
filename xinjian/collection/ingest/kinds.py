"""The eight record kinds of interfaces.md. Each is a `Kind`: its fields, its key, its
consistency checks and its events; the steps are the base class's (`engine.Ingestion`).

A new kind subclasses `Kind`, declares `fields` and overrides `check` (and, when its events
or side effects differ, `event_type` / `after_write`)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext, gettext_noop

from xinjian.collection.tagging import apply_licence_changes
from xinjian.core.audit import jsonable
from xinjian.core.events import EventType
from xinjian.registry.identifiers import IdentifierError, normalize_licence_no
from xinjian.registry.models import Enterprise, EnterpriseStatus

from .. import models as m
from .fields import (
    UNREADABLE,
    Amount,
    Bool,
    Choice,
    ChoiceList,
    Date,
    Division,
    Field,
    FieldError,
    RegistrationNo,
    Text,
    TextList,
    Uscc,
    Year,
    _clean_uscc,
    safe,
    unreadable_error,
)

Error = tuple[str, str, str]  # (field, code, message)
_REQUIRED = object()  # placeholder of a required field not sent


def _max(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr]


class Kind:
    name: str = ""
    label: str = ""
    model: type[models.Model]
    fields: dict[str, Field] = {}
    # interfaces.md: the key is (source, source_id) unless a kind says otherwise.
    key: tuple[str, ...] = ("source", "source_id")
    created_event: str = ""
    changed_event: str = ""
    # Fields copied into each event's data (beside id, source, source_id, batch_id).
    event_fields: tuple[str, ...] = ()
    # Eligible for the PostgreSQL COPY path (engine.pgfast): plain upsert + one event each.
    fast_path: bool = True
    resolves_enterprise: bool = True
    # Kinds keyed without `source`: may another source change a stored record? (No for
    # annual reports: domain.md §4, who provides a record answers for it.)
    owned_by_source: bool = False

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        for name, f in cls.fields.items():
            f.name = name

    # --- validation ---------------------------------------------------------------------
    def validate(self, raw: Any) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
        """The record as stored (every field, defaults filled) or its errors."""
        if not isinstance(raw, dict):
            return None, [
                {"field": "", "code": "not_an_object", "message": gettext("每条记录应为一个JSON对象")}
            ]
        if UNREADABLE in raw:
            return None, [unreadable_error(raw)]
        plan, defaults, required, order = self._plan()
        errors: list[dict[str, str]] = []
        clean = defaults.copy()
        # Only the keys sent are visited, with bound cleaners and Field.empty inlined: this
        # loop runs for every cell of a million-row file. Unknown keys are ignored.
        for name, value in raw.items():
            entry = plan.get(name)
            if entry is None:
                continue
            if value is None or value == "" or value == [] or (value.__class__ is str and value.isspace()):
                continue
            try:
                clean[name] = entry(value)
            except FieldError as e:
                clean[name] = None
                errors.append({"field": name, "code": e.code, "message": e.message})
        for name in required:
            if clean[name] is _REQUIRED:
                errors.append(
                    {
                        "field": name,
                        "code": "required",
                        "message": gettext("%(label)s不能为空") % {"label": self.fields[name].label},
                    }
                )
        if errors:
            errors.sort(key=lambda e: order[e["field"]])
            return None, errors
        for name, value in clean.items():
            if value.__class__ is list and not value:
                clean[name] = []  # never share the default list between records
        errors = [{"field": fld, "code": code, "message": msg} for fld, code, msg in self.check(clean)]
        return (None, errors) if errors else (clean, [])

    def _plan(self) -> tuple[dict[str, Any], dict[str, Any], list[str], dict[str, int]]:
        plan = self.__dict__.get("_plan_cache")
        if plan is None:
            cleaners = {n: f.clean for n, f in self.fields.items()}
            defaults = {n: _REQUIRED if f.required else f.default_value() for n, f in self.fields.items()}
            required = [n for n, f in self.fields.items() if f.required]
            order = {n: i for i, n in enumerate(self.fields)}
            plan = self.__dict__["_plan_cache"] = (cleaners, defaults, required, order)
        return plan

    def compiled(self, today: dt.date) -> Any:
        """`validate` for a whole chunk: one function generated once per kind from its
        fields (`compile_validator`), bound to the chunk's day. It settles a valid record
        in straight-line code and hands anything unusual or wrong to `validate`, so every
        error is exactly `validate`'s."""
        factory = self.__dict__.get("_compiled")
        if factory is None:
            factory = self.__dict__["_compiled"] = compile_validator(self)
        return factory(today)

    def check(self, rec: dict[str, Any]) -> list[Error]:
        """Consistency between fields of one valid-looking record."""
        return []

    def check_columns(self, cols: dict[str, list[Any]], suspects: set[int]) -> list[int]:
        """`check` over a whole chunk judged column by column (`columns.ColumnJudge`): the
        positions of the records that `check` might fault, which the reference then judges.
        Values are in stored form (ISO dates compare as text); at `suspects` they may be
        None. A kind that overrides `check` overrides this too, or is judged record by
        record."""
        return []

    @property
    def columnar(self) -> bool:
        """Judged column by column and written set-based (`pgfast`, `sqlitefast`)."""
        cls = type(self)
        return (
            self.fast_path
            and self.resolves_enterprise
            and self.key == ("source", "source_id")
            and cls.key_of is Kind.key_of
            and cls.conflicts is Kind.conflicts
            and (cls.check is Kind.check or cls.check_columns is not Kind.check_columns)
        )

    def key_of(self, rec: dict[str, Any], source: str) -> tuple[Any, ...]:
        return (source, rec["source_id"])

    def source_id_of(self, raw: Any) -> str | None:
        if not isinstance(raw, dict):
            return None
        v = raw.get("source_id")
        return safe(str(v)[:200]) if v is not None else None

    # --- storage ------------------------------------------------------------------------
    def existing(self, keys: list[tuple[Any, ...]], source: str) -> dict[tuple[Any, ...], Any]:
        ids = [k[1] for k in keys]
        rows = self.model.objects.filter(source=source, source_id__in=ids)  # type: ignore[attr-defined]
        return {(r.source, r.source_id): r for r in rows}

    def stored_fields(self) -> list[str]:
        """Columns the record writes (its fields plus the enterprise link)."""
        return [*self.fields, "enterprise_id"]

    def new_object(
        self, values: dict[str, Any], *, source: str, batch: Any, now: dt.datetime, label: str
    ) -> Any:
        return self.model(
            **values,
            source=source,
            batch=batch,
            received_at=now,
            created_at=now,
            modified_at=now,
            created_by=label,
            modified_by=label,
        )

    def stamp(self, obj: Any, *, batch: Any, now: dt.datetime, label: str) -> list[str]:
        obj.batch, obj.received_at, obj.modified_at, obj.modified_by = batch, now, now, label
        return ["batch", "received_at", "modified_at", "modified_by"]

    def event_type(self, old: dict[str, Any] | None, obj: Any) -> str:
        return self.created_event if old is None else self.changed_event

    def event_data(self, obj: Any, batch_id: str) -> dict[str, Any]:

        data = {
            "id": obj.pk,
            "source": obj.source,
            "source_id": getattr(obj, "source_id", None),
            "batch_id": batch_id,
        }
        data.update({f: jsonable(getattr(obj, f)) for f in self.event_fields})
        return data

    def after_write(self, objs: list[Any], *, actor: Any) -> None:
        """Reactions inside the chunk's transaction (tagging, attaching pending records)."""

    def conflicts(self, rows: list[Any]) -> dict[int, dict[str, str]]:
        """Records that valid on their own would break a rule of the stored data (index →
        error). Called inside the chunk's transaction, after the ingest lock."""
        return {}

    def scope_region(self, rec: dict[str, Any], enterprise: Any) -> str:
        """The division code that decides an uploading officer's jurisdiction."""
        if enterprise is not None:
            return enterprise[2]
        uscc = rec["uscc"]
        return uscc[2:8] if len(uscc) == 18 else ""

    def template_example(self) -> dict[str, str]:
        return {}


def compile_validator(kind: Kind) -> Any:
    """Generate `make(today) -> validate(raw)` for `kind`: per field, the common case of a
    well-formed value inline (text stripped and measured, ISO dates parsed and compared with
    the day, codes looked up in a set, USCCs through their cache), everything else through
    the field's own `clean`. Any doubt — a missing required field, an error, an exception —
    returns `kind.validate(raw)`, the reference, whose result is then exactly the same."""
    env: dict[str, Any] = {
        "slow": kind.validate,
        "check": kind.check if type(kind).check is not Kind.check else None,
        "fromisoformat": dt.date.fromisoformat,
        "clean_uscc": _clean_uscc,
        "Decimal": decimal.Decimal,
    }
    lines = [
        "def make(today):",
        "    def validate(raw):",
        "        if raw.__class__ is not dict:",
        "            return slow(raw)",
        "        get = raw.get",
        "        try:",
    ]
    out = []
    for i, (name, f) in enumerate(kind.fields.items()):
        c = f"c{i}"
        out.append(f"{name!r}: {c}")
        env[f"clean{i}"] = f.clean
        env[f"default{i}"] = f.default_value()
        is_list = isinstance(f.default_value(), list)
        lines += [
            f"            v = get({name!r})",
            "            if v is None or v == '' or v == [] or (v.__class__ is str and v.isspace()):",
            "                return slow(raw)"
            if f.required
            else f"                {c} = {'[]' if is_list else f'default{i}'}",
            "            else:",
        ]
        body: list[str]
        if isinstance(f, Text):
            limit = f.max_length or 0
            body = [
                "if v.__class__ is str:",
                f"    {c} = v.strip()",
                f"    if '\\x00' in {c} or ({limit} and len({c}) > {limit}):",
                "        return slow(raw)",
                f"    if not {c}.isascii():",
                f"        {c}.encode('utf-8')",
                "else:",
                f"    {c} = clean{i}(v)",
            ]
        elif isinstance(f, Date):
            body = [
                "if v.__class__ is str and len(v) == 10 and v[4] == '-' and v[7] == '-':",
                f"    {c} = fromisoformat(v)",
                *([f"    if {c} > today:", "        return slow(raw)"] if f.past else []),
                "else:",
                f"    {c} = clean{i}(v)",
            ]
        elif isinstance(f, Choice) and not isinstance(f, ChoiceList):
            env[f"values{i}"] = frozenset(f.values)
            body = [f"{c} = v if v.__class__ is str and v in values{i} else clean{i}(v)"]
        elif isinstance(f, ChoiceList):
            # Few distinct cells ("warning;fine"): each is judged once per chunk.
            env[f"lists{i}"] = {}
            body = [
                f"got = lists{i}.get(v) if v.__class__ is str else None",
                "if got is None:",
                f"    {c} = clean{i}(v)",
                f"    if v.__class__ is str and len(lists{i}) < 1000:",
                f"        lists{i}[v] = tuple({c})",
                "else:",
                f"    {c} = list(got)",
            ]
        elif isinstance(f, Amount):
            env[f"limit{i}"], env[f"quantum{i}"] = f.limit, f.quantum
            body = [
                "if v.__class__ is str and ',' not in v or v.__class__ is int:",
                "    a = Decimal(v)",
                f"    if not a.is_finite() or a < 0 or a >= limit{i}:",
                "        return slow(raw)",
                f"    {c} = a.quantize(quantum{i})",
                "else:",
                f"    {c} = clean{i}(v)",
            ]
        elif isinstance(f, Uscc):
            body = [
                f"{c} = clean_uscc(v, {f.allow_registration_no!r}) if v.__class__ is str else clean{i}(v)"
            ]
        else:
            body = [f"{c} = clean{i}(v)"]
        lines += ["                " + b for b in body]
    lines += [
        "        except Exception:  # FieldError or anything odd: the reference judges it",
        "            return slow(raw)",
        f"        rec = {{{', '.join(out)}}}",
        "        if check is not None and check(rec):",
        "            return slow(raw)",
        "        return rec, []",
        "    return validate",
    ]
    # Dates "not in the future" inside clean() read the chunk's day from TODAY.
    code = compile("\n".join(lines), f"<ingest validator {kind.name}>", "exec")
    exec(code, env)
    return env["make"]


class EnterpriseKind(Kind):
    name, label, model = "enterprises", gettext_noop("市场主体"), Enterprise
    fields = {
        "uscc": Uscc(allow_registration_no=False, required=True),
        "name": Text("名称", _max(Enterprise, "name"), required=True, aliases=("企业名称", "主体名称")),
        "legal_representative": Text(
            "法定代表人",
            _max(Enterprise, "legal_representative"),
            required=True,
            aliases=("法定代表人（负责人）", "负责人"),
        ),
        "established_on": Date("成立日期", past=True, required=True),
        "region_code": Division("区划代码", required=True, aliases=("行政区划代码", "所属区划")),
        "entity_type": Text("主体类型", _max(Enterprise, "entity_type"), aliases=("企业类型",)),
        "registered_capital": Amount("注册资本（万元）", places=4, aliases=("注册资本",)),
        "address": Text("住所", _max(Enterprise, "address"), aliases=("地址", "经营场所")),
        "business_scope": Text("经营范围"),
        "status": Choice(
            "登记状态", EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING, aliases=("状态",)
        ),
        "registration_no": RegistrationNo("注册号"),
    }
    key = ("uscc",)
    created_event, changed_event = EventType.ENTERPRISE_REGISTERED, EventType.ENTERPRISE_CHANGED
    event_fields = ("name", "region_code", "status")
    fast_path = False
    resolves_enterprise = False

    def key_of(self, rec: dict[str, Any], source: str) -> tuple[Any, ...]:
        return (rec["uscc"],)

    def source_id_of(self, raw: Any) -> str | None:
        return (
            safe(str(raw.get("uscc"))[:200])
            if isinstance(raw, dict) and raw.get("uscc") is not None
            else None
        )

    def existing(self, keys: list[tuple[Any, ...]], source: str) -> dict[tuple[Any, ...], Any]:
        return {(e.uscc,): e for e in Enterprise.objects.filter(uscc__in=[k[0] for k in keys])}

    def stored_fields(self) -> list[str]:
        return list(self.fields)

    def new_object(
        self, values: dict[str, Any], *, source: str, batch: Any, now: dt.datetime, label: str
    ) -> Any:
        return Enterprise(
            **values, source=source, created_at=now, modified_at=now, created_by=label, modified_by=label
        )

    def stamp(self, obj: Any, *, batch: Any, now: dt.datetime, label: str) -> list[str]:
        obj.modified_at, obj.modified_by = now, label
        return ["modified_at", "modified_by"]

    def event_data(self, obj: Any, batch_id: str) -> dict[str, Any]:
        return {
            "id": obj.pk,
            "source": obj.source,
            "batch_id": batch_id,
            "name": obj.name,
            "region_code": obj.region_code,
            "status": obj.status,
        }

    def scope_region(self, rec: dict[str, Any], enterprise: Any) -> str:
        return rec["region_code"]

    def conflicts(self, rows: list[Any]) -> dict[int, dict[str, str]]:
        # The old registration number is an alias of ONE enterprise (domain.md §2).
        wanted = {r.values["registration_no"] for r in rows if r.values["registration_no"]}
        owner = dict(
            Enterprise.objects.filter(registration_no__in=wanted).values_list("registration_no", "uscc")
        )
        out: dict[int, dict[str, str]] = {}
        for r in rows:
            regno = r.values["registration_no"]
            if not regno:
                continue
            holder = owner.setdefault(regno, r.values["uscc"])
            if holder != r.values["uscc"]:
                out[r.index] = {
                    "field": "registration_no",
                    "code": "registration_no_taken",
                    "message": gettext("注册号%(regno)s已属于统一社会信用代码为%(holder)s的主体")
                    % {"regno": regno, "holder": holder},
                }
        return out

    def after_write(self, objs: list[Any], *, actor: Any) -> None:
        # interfaces.md: records that waited for this enterprise attach automatically.
        from .attach import attach_pending

        attach_pending(objs, actor=actor)


class LicenceKind(Kind):
    name, label, model = "licences", gettext_noop("行政许可"), m.Licence
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "licence_type": Choice("许可类别", m.LicenceType.choices, required=True),
        "licence_no": Text("许可证编号", 40, required=True, aliases=("许可证号", "证书编号")),
        "issued_by": Text("发证机关", 100, required=True),
        "issued_on": Date("发证日期", past=True, required=True),
        "valid_until": Date("有效期至", aliases=("有效期截止日期",)),
        "status": Choice(
            "状态", m.LicenceStatus.choices, default=m.LicenceStatus.VALID, aliases=("许可状态",)
        ),
        "scope": TextList("许可范围", help="多项用分号分隔"),
    }
    created_event = EventType.LICENCE_GRANTED
    changed_event = EventType.LICENCE_CHANGED
    event_fields = ("licence_no", "licence_type", "status", "valid_until")
    fast_path = False  # the event depends on the status change; tagging reacts

    def check(self, rec: dict[str, Any]) -> list[Error]:
        errors: list[Error] = []
        try:
            # domain.md §2: the number's shape depends on the licence type.
            rec["licence_no"] = normalize_licence_no(rec["licence_type"], rec["licence_no"])
        except IdentifierError as e:
            errors.append(("licence_no", e.code, e.message))
        if rec["valid_until"] and rec["valid_until"] < rec["issued_on"]:
            errors.append(("valid_until", "date_order", gettext("有效期至不能早于发证日期")))
        return errors

    def event_type(self, old: dict[str, Any] | None, obj: Any) -> str:
        from ..actions import LICENCE_STATUS_EVENTS

        if old is None or old.get("status") != obj.status:
            return LICENCE_STATUS_EVENTS[m.LicenceStatus(obj.status)]
        return EventType.LICENCE_CHANGED

    def after_write(self, objs: list[Any], *, actor: Any) -> None:

        # domain.md §3 动态调整: tags follow licence changes in the same transaction.
        apply_licence_changes(objs, actor=actor)


class PenaltyKind(Kind):
    name, label, model = "penalties", gettext_noop("行政处罚"), m.Penalty
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "decision_no": Text(
            "决定书文号", 100, required=True, aliases=("处罚决定书文号", "行政处罚决定书文号")
        ),
        "decided_on": Date("处罚决定日期", past=True, required=True, aliases=("决定日期", "处罚日期")),
        "decided_by": Text("处罚机关", 100, required=True, aliases=("作出处罚决定的机关", "决定机关")),
        "domain": Choice("领域", m.PenaltyDomain.choices, required=True),
        "violation": Text("违法行为类型", required=True, aliases=("违法行为",)),
        "penalty_types": ChoiceList(
            "处罚种类", m.PenaltyType.choices, required=True, help="多项用分号分隔，如 fine;confiscation"
        ),
        "fine_amount": Amount("罚款金额（元）", aliases=("罚款金额",)),
        "aggravated": Bool("从重处罚"),
        "restriction_until": Date("限制期限至"),
        "legal_basis": Text("处罚依据"),
        "fulfilled_on": Date("履行完毕日期", past=True),
        # v1.1: a simplified-procedure (on-the-spot) decision is collected, never published.
        "procedure": Choice("处罚程序", m.PenaltyProcedure.choices, default=m.PenaltyProcedure.ORDINARY),
        "status": Choice("状态", m.PenaltyStatus.choices, default=m.PenaltyStatus.IN_FORCE),
        "disclosure_exception": Choice("不予公示事由", m.DisclosureException.choices),
        "decision_text": Text("决定书正文"),
        # Only for records migrated from an earlier system; otherwise disclosure sets it.
        "published_on": Date("公示日期", past=True, keep_when_omitted=True),
    }
    created_event, changed_event = EventType.PENALTY_RECORDED, EventType.PENALTY_CHANGED
    event_fields = ("decision_no", "decided_on", "domain", "penalty_types", "status")

    def check(self, rec: dict[str, Any]) -> list[Error]:
        errors: list[Error] = []
        if m.PenaltyType.FINE in rec["penalty_types"] and rec["fine_amount"] is None:
            errors.append(
                ("fine_amount", "fine_amount_required", gettext("处罚种类含罚款时必须填写罚款金额"))
            )
        if rec["restriction_until"] and rec["restriction_until"] <= rec["decided_on"]:
            errors.append(("restriction_until", "date_order", gettext("限制期限至应晚于处罚决定日期")))
        if rec["fulfilled_on"] and rec["fulfilled_on"] < rec["decided_on"]:
            errors.append(("fulfilled_on", "date_order", gettext("履行完毕日期不能早于处罚决定日期")))
        if rec["published_on"] and rec["published_on"] < rec["decided_on"]:
            errors.append(("published_on", "date_order", gettext("公示日期不能早于处罚决定日期")))
        return errors

    def check_columns(self, cols: dict[str, list[Any]], suspects: set[int]) -> list[int]:
        out: list[int] = []
        fine = cols["fine_amount"]
        if None in fine:
            out += [
                p
                for p, (types, amount) in enumerate(zip(cols["penalty_types"], fine, strict=True))
                if amount is None and types and m.PenaltyType.FINE in types
            ]
        decided = cols["decided_on"]
        for name, strict in (("restriction_until", True), ("fulfilled_on", False), ("published_on", False)):
            col = cols[name]
            if any(col):
                out += [
                    p
                    for p, (v, d) in enumerate(zip(col, decided, strict=True))
                    if v and d and (v <= d if strict else v < d)
                ]
        return out


class InspectionKind(Kind):
    name, label, model = "inspections", gettext_noop("检查结果"), m.Inspection
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "inspected_on": Date("检查日期", past=True, required=True),
        "inspected_by": Text("检查机关", 100, required=True, aliases=("检查实施机关",)),
        "kind": Choice("检查类别", m.InspectionKind.choices, required=True, aliases=("检查类型",)),
        "result": Choice("检查结果", m.InspectionResult.choices, required=True),
        "item_code": Text("检查事项", 40, aliases=("检查事项编码",)),
        "findings": Text("检查发现"),
        "published_on": Date("公示日期", past=True, keep_when_omitted=True),
    }
    created_event, changed_event = EventType.INSPECTION_RECORDED, EventType.INSPECTION_RECORDED
    event_fields = ("inspected_on", "kind", "result")

    def check(self, rec: dict[str, Any]) -> list[Error]:
        if rec["published_on"] and rec["published_on"] < rec["inspected_on"]:
            return [("published_on", "date_order", gettext("公示日期不能早于检查日期"))]
        return []

    def check_columns(self, cols: dict[str, list[Any]], suspects: set[int]) -> list[int]:
        col, inspected = cols["published_on"], cols["inspected_on"]
        if not any(col):
            return []
        return [p for p, (v, d) in enumerate(zip(col, inspected, strict=True)) if v and d and v < d]


class ComplaintKind(Kind):
    name, label, model = "complaints", gettext_noop("投诉举报"), m.Complaint
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "received_on": Date("受理日期", past=True, required=True, aliases=("登记日期",)),
        "category": Text("类别", 60),
        "substantiated": Bool("查证属实", default=None),
    }
    created_event, changed_event = EventType.COMPLAINT_RECORDED, EventType.COMPLAINT_RECORDED
    event_fields = ("received_on",)  # complaints are not public: keep the event lean


class AnnualReportKind(Kind):
    name, label, model = "annual-reports", gettext_noop("年度报告"), m.AnnualReport
    fields = {
        "uscc": Uscc(required=True),
        "year": Year("年度", required=True, aliases=("报告年度",)),
        "filed_on": Date("报送日期", past=True, required=True, aliases=("报送时间",)),
    }
    key = ("uscc", "year")
    owned_by_source = True
    created_event = changed_event = EventType.ANNUAL_REPORT_FILED
    event_fields = ("year", "filed_on")
    fast_path = False

    def check(self, rec: dict[str, Any]) -> list[Error]:
        # A report covers a finished year: it is filed from 1 January of the next year.
        if rec["filed_on"].year <= rec["year"]:
            return [("filed_on", "date_order", gettext("年度报告应在次年报送：报送日期应晚于所报年度"))]
        return []

    def key_of(self, rec: dict[str, Any], source: str) -> tuple[Any, ...]:
        return (rec["uscc"], rec["year"])

    def source_id_of(self, raw: Any) -> str | None:
        if not isinstance(raw, dict):
            return None
        return safe(f"{raw.get('uscc')}:{raw.get('year')}"[:200])

    def existing(self, keys: list[tuple[Any, ...]], source: str) -> dict[tuple[Any, ...], Any]:
        wanted = set(keys)
        rows = m.AnnualReport.objects.filter(uscc__in={k[0] for k in keys})
        return {(r.uscc, r.year): r for r in rows if (r.uscc, r.year) in wanted}

    def new_object(
        self, values: dict[str, Any], *, source: str, batch: Any, now: dt.datetime, label: str
    ) -> Any:
        return m.AnnualReport(
            **values,
            source=source,
            batch=batch,
            received_at=now,
            created_at=now,
            modified_at=now,
            created_by=label,
            modified_by=label,
        )

    def event_data(self, obj: Any, batch_id: str) -> dict[str, Any]:
        return {
            "id": obj.pk,
            "source": obj.source,
            "batch_id": batch_id,
            "year": obj.year,
            "filed_on": obj.filed_on.isoformat(),
        }


class ListDecisionKind(Kind):
    name, label, model = "list-decisions", gettext_noop("名单决定"), m.ListDecision
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "list": Choice("名单", m.ListKind.choices, required=True, aliases=("名单类别",)),
        "action": Choice("动作", m.ListAction.choices, required=True, aliases=("决定类型",)),
        "ground": Text("事由", 60, required=True, aliases=("事由代码", "原因")),
        "decided_on": Date("决定日期", past=True, required=True),
        "decided_by": Text("决定机关", 100, required=True),
        "decision_no": Text("决定书文号", 100, required=True),
        "basis_decision_no": Text("所依据的处罚决定书文号", 100, aliases=("依据处罚决定书文号",)),
    }
    created_event = changed_event = EventType.LIST_DECISION_RECORDED
    event_fields = ("list", "action", "ground", "decided_on", "decision_no")


class CommitmentKind(Kind):
    name, label, model = "commitments", gettext_noop("信用承诺"), m.CommitmentRecord
    fields = {
        "source_id": Text("来源编号", 100, required=True, aliases=("业务编号",)),
        "uscc": Uscc(required=True),
        "kind": Choice("承诺类型", m.CommitmentKind.choices, required=True),
        "matter": Text("承诺事项", 200, required=True),
        "committed_on": Date("承诺日期", past=True, required=True),
        "content": Text("承诺内容"),
        "template_code": Text("格式文本编号", 40),
        "application_no": Text("申请编号", 60),
    }
    created_event = changed_event = EventType.COMMITMENT_RECORDED
    event_fields = ("kind", "matter", "committed_on")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        EnterpriseKind(),
        LicenceKind(),
        PenaltyKind(),
        InspectionKind(),
        ComplaintKind(),
        AnnualReportKind(),
        ListDecisionKind(),
        CommitmentKind(),
    )
}


def get_kind(name: str) -> Kind:
    return KINDS[name]


def record_models() -> Iterable[type[models.Model]]:
    """Models that hold records under an enterprise's name (pending until it arrives)."""
    return (
        m.Licence,
        m.Penalty,
        m.Inspection,
        m.Complaint,
        m.AnnualReport,
        m.ListDecision,
        m.CommitmentRecord,
    )


def json_schema(kind: Kind) -> dict[str, Any]:
    """The record schema of a kind for the OpenAPI document (interfaces.md field list)."""
    props: dict[str, Any] = {}
    for name, f in kind.fields.items():
        if isinstance(f, ChoiceList):
            spec: dict[str, Any] = {"type": "array", "items": {"type": "string", "enum": sorted(f.values)}}
        elif isinstance(f, Choice):
            spec = {"type": "string", "enum": sorted(f.values)}
        elif isinstance(f, TextList):
            spec = {"type": "array", "items": {"type": "string"}}
        elif isinstance(f, Date):
            spec = {"type": "string", "format": "date"}
        elif isinstance(f, Amount):
            spec = {"type": "number", "minimum": 0}
        elif isinstance(f, Bool):
            spec = {"type": "boolean"}
        elif isinstance(f, Year):
            spec = {"type": "integer"}
        else:
            spec = {"type": "string"}
            if isinstance(f, Text) and f.max_length:
                spec["maxLength"] = f.max_length
        spec["description"] = f.label
        props[name] = spec
    return {
        "title": kind.name,
        "description": kind.label,
        "type": "object",
        "properties": props,
        "required": [n for n, f in kind.fields.items() if f.required],
    }
