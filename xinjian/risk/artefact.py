"""The general model as a signed, versioned artefact (issue 15 item 4, ADR 0097).

The national hub (`XINJIAN_PROVINCE=000000`) calibrates the general model on the records
it pulls from every province; a province adopts that version by importing the artefact
and keeps its domain models. The artefact is one JSON document in canonical form:

    {"format": "xinjian.risk-model", "schema_version": 1,
     "payload": {…everything needed to score elsewhere…},
     "sha256": "<hex of the canonical payload>",
     "signature": {"alg": "Ed25519", "key_id": "<16 hex>", "value": "<base64>"}}

The signature is over the canonical bytes of the payload (keys sorted, no whitespace,
UTF-8, no NaN); the file itself must be exactly the canonical form of the envelope (plus
one final newline), so no byte of it can change unnoticed. Keys: the exporter signs with
the Ed25519 private key at `XINJIAN_MODEL_SIGNING_KEY`; an importer trusts the public keys
listed in `XINJIAN_MODEL_TRUSTED_KEYS`; a key is named by the first 16 hex digits of the
SHA-256 of its raw public bytes.

Learners are serialised by family (`CODECS`): the scorecard family covers the expert and
WOE versions (base points + bins and points per indicator, scored in the database). A new
family registers a codec with its own parameters and the methods that produce it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core.errors import DomainError, field_error

from .indicators import BY_CODE, SOURCES, Indicator
from .models import ModelVersion, VersionStatus
from .scoring import FACTOR, OFFSET

FORMAT = "xinjian.risk-model"
SCHEMA_VERSION = 1
SUPPORTED_SCHEMA_VERSIONS = frozenset({1})
GENERAL = "general"
MAX_BYTES = 5 * 1024 * 1024
SUMMARY_KEYS = ("as_of", "window_end", "enterprises", "inspections", "problems", "auc", "ks", "d_over_a")


class ArtefactError(DomainError):
    """An artefact refused: nothing is stored. `details` name the field, code and message."""

    code = "artefact_refused"


def _refuse(field_name: str, code: str, message: str) -> ArtefactError:
    return ArtefactError(
        gettext("模型文件未通过校验：%(message)s") % {"message": message},
        code=code,
        details=[field_error(field_name, code, message)],
    )


# --- canonical form and hashes -----------------------------------------------------------


def canonical(obj: Any) -> bytes:
    """One byte string per value: keys sorted, no whitespace, UTF-8, finite numbers only."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def indicator_definition(ind: Indicator) -> dict[str, Any]:
    """What makes an indicator's value what it is: its SQL (aggregates, sources, outer
    expression, parameters) and its direction. Names and texts are left out."""
    sources = sorted({key.split(":")[0] for key in ind.aggs})
    return {
        "code": ind.code,
        "aggs": ind.aggs,
        "value": ind.value,
        "sql_params": ind.sql_params,
        "direction": ind.direction,
        "sources": {
            name: [SOURCES[name].sql_from, SOURCES[name].key, SOURCES[name].where, SOURCES[name].join]
            for name in sources
            if name in SOURCES
        },
    }


def definition_sha256(ind: Indicator) -> str:
    return sha256(canonical(indicator_definition(ind)))


# --- keys --------------------------------------------------------------------------------


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256(raw)[:16]


def generate_keypair(prefix: Path) -> tuple[Path, Path, str]:
    """Write `<prefix>.key` (PKCS#8 PEM, owner-only) and `<prefix>.pub`; refuses to
    overwrite an existing key."""
    private_path, public_path = prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub")
    for p in (private_path, public_path):
        if p.exists():
            raise FileExistsError(str(p))
    prefix.parent.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public = private.public_key()
    public_path.write_bytes(
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private_path, public_path, key_id(public)


def signing_key() -> Ed25519PrivateKey:
    path = getattr(settings, "XINJIAN_MODEL_SIGNING_KEY", "")
    if not path:
        raise DomainError(
            gettext("本实例未配置模型签名私钥（XINJIAN_MODEL_SIGNING_KEY），不能导出模型文件"),
            code="no_signing_key",
            details=[field_error("XINJIAN_MODEL_SIGNING_KEY", "required", gettext("未配置"))],
        )
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as e:
        raise DomainError(
            gettext("模型签名私钥无法读取：%(error)s") % {"error": e},
            code="bad_signing_key",
            details=[field_error("XINJIAN_MODEL_SIGNING_KEY", "unreadable", str(e))],
        )
    if not isinstance(key, Ed25519PrivateKey):
        raise DomainError(
            gettext("模型签名私钥不是 Ed25519 私钥"),
            code="bad_signing_key",
            details=[field_error("XINJIAN_MODEL_SIGNING_KEY", "not_ed25519", gettext("须为 Ed25519 私钥"))],
        )
    return key


def trusted_keys() -> dict[str, tuple[str, Ed25519PublicKey]]:
    """key id → (file name, public key) for every trusted key. The setting lists files
    (PEM public keys) or folders of them (`*.pub`, `*.pem`), comma-separated. A file that
    is not an Ed25519 public key is skipped: it cannot verify anything."""
    out: dict[str, tuple[str, Ed25519PublicKey]] = {}
    for entry in getattr(settings, "XINJIAN_MODEL_TRUSTED_KEYS", []):
        path = Path(entry)
        files = sorted([*path.glob("*.pub"), *path.glob("*.pem")]) if path.is_dir() else [path]
        for f in files:
            try:
                key = serialization.load_pem_public_key(f.read_bytes())
            except (OSError, ValueError, TypeError):
                continue
            if isinstance(key, Ed25519PublicKey):
                out[key_id(key)] = (f.stem, key)
    return out


# --- learner codecs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    """How one learner family travels: `dump` gives its parameters from a version,
    `check` lists what is wrong with received parameters (field errors), `fields` gives the
    ModelVersion fields that make it score here."""

    family: str
    methods: tuple[str, ...]
    dump: Callable[[ModelVersion], dict[str, Any]]
    check: Callable[[dict[str, Any], list[str]], list[dict[str, str]]]
    fields: Callable[[dict[str, Any]], dict[str, Any]]


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _scorecard_dump(version: ModelVersion) -> dict[str, Any]:
    keep = ("code", "edges", "points", "woe", "coef", "counts")
    return {
        "base_points": int(version.base_points),
        "spec": [{k: item[k] for k in keep if k in item} for item in version.spec],
    }


def _scorecard_check(params: dict[str, Any], codes: list[str]) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    base = params.get("base_points")
    if not isinstance(base, int) or isinstance(base, bool):
        errors.append(field_error("learner.params.base_points", "invalid", gettext("须为整数")))
    spec = params.get("spec")
    if not isinstance(spec, list) or not spec:
        return [*errors, field_error("learner.params.spec", "invalid", gettext("须为非空列表"))]
    if [item.get("code") if isinstance(item, dict) else None for item in spec] != codes:
        errors.append(
            field_error(
                "learner.params.spec", "mismatch", gettext("分箱的指标与指标清单不一致（代码或顺序）")
            )
        )
    for n, item in enumerate(spec):
        if not isinstance(item, dict):
            continue
        edges, points = item.get("edges"), item.get("points")
        where = f"learner.params.spec.{n}"
        if not isinstance(edges, list) or not edges or not all(_number(e) for e in edges):
            errors.append(field_error(f"{where}.edges", "invalid", gettext("分箱下界须为数值列表")))
        elif edges != sorted(edges):
            errors.append(field_error(f"{where}.edges", "not_ascending", gettext("分箱下界须递增")))
        if (
            not isinstance(points, list)
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in points)
            or not isinstance(edges, list)
            or len(points) != len(edges)
        ):
            errors.append(field_error(f"{where}.points", "invalid", gettext("每个分箱须有一个整数分值")))
    return errors


def _scorecard_fields(params: dict[str, Any]) -> dict[str, Any]:
    return {"base_points": params["base_points"], "spec": params["spec"]}


CODECS: dict[str, Codec] = {}


def register(codec: Codec) -> None:
    CODECS[codec.family] = codec


register(
    Codec(
        family="scorecard",
        methods=("expert", "woe_logit"),
        dump=_scorecard_dump,
        check=_scorecard_check,
        fields=_scorecard_fields,
    )
)


def codec_for_method(method: str) -> Codec | None:
    return next((c for c in CODECS.values() if method in c.methods), None)


# --- export ------------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def payload(version: ModelVersion) -> dict[str, Any]:
    """Everything a province needs to score with `version` and to judge where it came from."""
    model = version.model
    if not model.is_general or model.code != GENERAL:
        raise DomainError(
            gettext("只有通用模型可以导出为模型文件；领域模型由各省自行校准"),
            code="not_general",
            details=[field_error("model", "not_general", model.code)],
        )
    if version.status == VersionStatus.DISCARDED:
        raise DomainError(
            gettext("已弃用的版本不能导出"),
            code="discarded",
            details=[field_error("version", "discarded", version.label)],
        )
    codec = codec_for_method(version.method)
    if codec is None:
        raise DomainError(
            gettext("此版本的方法没有可导出的参数格式：%(method)s") % {"method": version.method},
            code="unknown_family",
            details=[field_error("method", "unknown_family", version.method)],
        )
    report = version.validation or {}
    valid = report.get("validation") or {}
    bands = report.get("bands") or {}
    summary: dict[str, Any] = {k: valid.get(k) for k in SUMMARY_KEYS if k in valid}
    if valid:
        summary["lift"] = (valid.get("draw") or {}).get("lift")
        summary["by_class_rate"] = {c: b.get("rate") for c, b in (valid.get("by_class") or {}).items()}
        summary["population"] = valid.get("population")
        summary["training_auc"] = (report.get("training") or {}).get("auc")
        summary["psi_vs_training"] = report.get("psi_vs_training")
        if "target" in report:  # the outcome the version learnt from, where calibration records it
            summary["target"] = report["target"]
    missing = [code for code in version.indicator_codes() if code not in BY_CODE]
    if missing:
        raise DomainError(
            gettext("此版本引用了已不存在的指标：%(codes)s") % {"codes": ", ".join(missing)},
            code="unknown_indicator",
            details=[field_error("spec", "unknown_indicator", ", ".join(missing))],
        )
    inds = [BY_CODE[code] for code in version.indicator_codes()]
    return {
        "model": {"code": model.code, "name": model.name, "name_en": model.name_en},
        "version": {
            "label": version.label,
            "number": version.number,
            "status": version.status,
            "method": version.method,
            "note": version.note,
            "created_at": _iso(version.created_at),
            "created_by": version.created_by,
            "activated_at": _iso(version.activated_at),
            "trained_as_of": _iso(version.trained_as_of),
            "train_window_end": _iso(version.train_window_end),
            "validated_as_of": _iso(version.validated_as_of),
            "validation_window_end": _iso(version.validation_window_end),
        },
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "name_en": i.name_en,
                "dimension": i.dimension,
                "direction": i.direction,
                "definition_sha256": definition_sha256(i),
            }
            for i in inds
        ],
        "learner": {"family": codec.family, "params": codec.dump(version)},
        "score_scale": {"offset": OFFSET, "factor": FACTOR},
        "bands": {
            "source": bands.get("source", "rule"),
            "b_from": bands.get("b_from"),
            "c_from": bands.get("c_from"),
            "d_from": bands.get("d_from"),
            "shares": bands.get("shares"),
        },
        "validation": summary,
        "source": {"province": settings.XINJIAN_PROVINCE, "hub": settings.XINJIAN_PROVINCE == "000000"},
        "exported_at": timezone.now().isoformat(),
    }


def sign(body: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """The artefact file: the canonical envelope and one final newline."""
    data = canonical(body)
    envelope = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "payload": body,
        "sha256": sha256(data),
        "signature": {
            "alg": "Ed25519",
            "key_id": key_id(key.public_key()),
            "value": base64.b64encode(key.sign(data)).decode("ascii"),
        },
    }
    return canonical(envelope) + b"\n"


def filename(body: dict[str, Any], digest: str) -> str:
    return f"{body['version']['label']}-{body['source']['province']}-{digest[:12]}.xjmodel.json"


# --- import ------------------------------------------------------------------------------


@dataclass
class Checked:
    """An artefact that passed every check: signed by a trusted key, untouched, and
    compatible with this instance's catalogue."""

    payload: dict[str, Any]
    sha256: str
    key_id: str
    key_name: str
    codec: Codec
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.payload["version"]["label"])

    @property
    def source_province(self) -> str:
        return str(self.payload.get("source", {}).get("province", ""))

    @property
    def hub_bands(self) -> dict[str, Any]:
        return dict(self.payload.get("bands") or {})


def read(data: bytes) -> Checked:
    """Verify an artefact file; raise ArtefactError (field, code, message) at the first
    reason to refuse it. Order: shape, canonical bytes, key, hash, signature, compatibility."""
    if len(data) > MAX_BYTES:
        raise _refuse("file", "too_large", gettext("文件超过 5 MB"))
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse("file", "malformed", gettext("不是 UTF-8 编码的 JSON 文件"))
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise _refuse("format", "unknown_format", gettext("不是信用监管平台的模型文件"))
    if envelope.get("schema_version") not in SUPPORTED_SCHEMA_VERSIONS:
        raise _refuse(
            "schema_version",
            "unsupported",
            gettext("模型文件格式版本 %(v)s 不受支持（支持：%(ok)s）")
            % {
                "v": envelope.get("schema_version"),
                "ok": ", ".join(map(str, sorted(SUPPORTED_SCHEMA_VERSIONS))),
            },
        )
    signature = envelope.get("signature")
    if not isinstance(signature, dict) or not signature.get("value"):
        raise _refuse("signature", "unsigned", gettext("文件没有签名"))
    body = envelope.get("payload")
    if not isinstance(body, dict):
        raise _refuse("payload", "missing", gettext("文件没有模型内容"))
    try:
        exact = canonical(envelope)
    except ValueError:
        raise _refuse("file", "malformed", gettext("文件含有非有限数值"))
    if data not in (exact, exact + b"\n"):
        raise _refuse("file", "tampered", gettext("文件已被改动（与签发时的规范形式不一致）"))
    if signature.get("alg") != "Ed25519":
        raise _refuse("signature.alg", "unsupported", gettext("只接受 Ed25519 签名"))
    trusted = trusted_keys()
    kid = str(signature.get("key_id") or "")
    if kid not in trusted:
        raise _refuse(
            "signature.key_id",
            "unknown_key",
            gettext("签名密钥 %(kid)s 不在本实例信任的公钥中（XINJIAN_MODEL_TRUSTED_KEYS）")
            % {"kid": kid or "—"},
        )
    body_bytes = canonical(body)
    digest = sha256(body_bytes)
    if envelope.get("sha256") != digest:
        raise _refuse("sha256", "mismatch", gettext("内容摘要不符：文件已被改动"))
    try:
        trusted[kid][1].verify(base64.b64decode(str(signature["value"]), validate=True), body_bytes)
    except (InvalidSignature, binascii.Error, ValueError):
        raise _refuse("signature.value", "invalid", gettext("签名验证失败：文件已被改动或不是该密钥签发"))
    checked = compatible(body)
    checked.sha256, checked.key_id, checked.key_name = digest, kid, trusted[kid][0]
    return checked


def compatible(body: dict[str, Any]) -> Checked:
    """Whether this instance can score with the artefact exactly as the hub does."""
    for name in ("model", "version", "learner", "source", "bands", "validation", "score_scale"):
        if not isinstance(body.get(name, {}), dict):
            raise _refuse(name, "invalid", gettext("须为对象"))
    meta = body.get("version") or {}
    if not isinstance(meta.get("label"), str) or not meta["label"]:
        raise _refuse("version.label", "invalid", gettext("缺少版本标识"))
    model = body.get("model") or {}
    if model.get("code") != GENERAL:
        raise _refuse("model.code", "not_general", gettext("只能导入通用模型；领域模型由本省自行校准"))
    learner = body.get("learner") or {}
    codec = CODECS.get(str(learner.get("family")))
    if codec is None:
        raise _refuse(
            "learner.family",
            "unknown_family",
            gettext("本实例不认识模型方法族 %(family)s") % {"family": learner.get("family")},
        )
    method = meta.get("method")
    if method not in codec.methods:
        raise _refuse(
            "version.method", "unknown_method", gettext("本实例不认识建模方法 %(m)s") % {"m": method}
        )
    scale = body.get("score_scale") or {}
    if (
        scale.get("offset") != OFFSET
        or not _number(scale.get("factor"))
        or abs(scale["factor"] - FACTOR) > 1e-9
    ):
        raise _refuse("score_scale", "mismatch", gettext("分值刻度与本实例不同"))
    indicators = body.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise _refuse("indicators", "missing", gettext("没有指标清单"))
    codes = [str(i.get("code")) if isinstance(i, dict) else "" for i in indicators]
    unknown = [c for c in codes if c not in BY_CODE or "general" not in BY_CODE[c].models]
    if unknown:
        raise _refuse(
            "indicators",
            "unknown_indicator",
            gettext("本实例的通用模型指标目录中没有这些指标：%(codes)s") % {"codes": ", ".join(unknown)},
        )
    changed = [
        i["code"] for i in indicators if i.get("definition_sha256") != definition_sha256(BY_CODE[i["code"]])
    ]
    if changed:
        raise _refuse(
            "indicators",
            "definition_changed",
            gettext("这些指标在本实例的计算口径与全国中心不同（软件版本不一致）：%(codes)s")
            % {"codes": ", ".join(changed)},
        )
    params = learner.get("params")
    if not isinstance(params, dict):
        raise _refuse("learner.params", "missing", gettext("没有模型参数"))
    errors = codec.check(params, codes)
    if errors:
        raise ArtefactError(
            gettext("模型文件未通过校验：%(message)s") % {"message": gettext("模型参数不合法")},
            code="invalid_params",
            details=errors,
        )
    if not _bands_ok(body.get("bands") or {}):
        raise _refuse("bands", "invalid", gettext("分类区间须为递增的整数"))
    return Checked(payload=body, sha256="", key_id="", key_name="", codec=codec, fields=codec.fields(params))


def _bands_ok(bands: dict[str, Any]) -> bool:
    cuts = [bands.get(k) for k in ("b_from", "c_from", "d_from")]
    if all(c is None for c in cuts):
        return True  # the hub's version had no report: only the province's bands can apply
    ints = [c for c in cuts if isinstance(c, int) and not isinstance(c, bool)]
    return len(ints) == 3 and ints[0] < ints[1] < ints[2]


# --- validation on the importing province's own data -------------------------------------


def local_validation(
    version: ModelVersion, *, on: dt.date, choice: str, hub_bands: dict[str, Any], hub_label: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The validation report of an imported version on this province's history (the same
    out-of-time windows as calibration: validated as of last inspection − 12 months), with
    the province's bands or the hub's. Returns (report, validation windows); both empty
    when the province has no inspection history yet."""
    from dateutil.relativedelta import relativedelta

    from . import calibration
    from .models import ClassBandRule

    bounds = calibration.history_bounds()
    if bounds is None:
        return {}, {}
    _lo, hi = bounds
    window = relativedelta(months=calibration.WINDOW_MONTHS)
    t1 = hi - window
    inds = [BY_CODE[c] for c in version.indicator_codes()]
    snaps = {
        "train": [calibration.snapshot(inds, "", t1 - window, t1)],
        "valid": calibration.snapshot(inds, "", t1, hi),
    }
    given = None
    if choice == "hub" and hub_bands.get("b_from") is not None:
        rule = ClassBandRule(
            model=version.model,
            effective_from=on,
            b_from=hub_bands["b_from"],
            c_from=hub_bands["c_from"],
            d_from=hub_bands["d_from"],
        )
        given = (rule, {"source": "hub", "hub_version": hub_label, "hub_basis": hub_bands.get("source")})
    report = calibration.validation_report(version, snaps, on=on, bands_given=given)
    return report, {"validated_as_of": t1, "validation_window_end": hi}
