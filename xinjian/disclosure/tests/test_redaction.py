"""Personal data removed from decision texts (domain.md §5; Order 45 art. 11)."""

from __future__ import annotations

import pytest

from xinjian.disclosure.redaction import (
    ADDRESS_MASK,
    BANK_MASK,
    ID_MASK,
    PHONE_MASK,
    find_names,
    mask_name,
    redact,
)


@pytest.mark.parametrize("idno", ["440305198001011234", "44030519800101123X", "44030519800101123x"])
def test_eighteen_digit_id_numbers_are_removed(idno):
    out = redact(f"当事人身份证号码{idno}，现已查明")
    assert idno not in out and ID_MASK in out


def test_fifteen_digit_id_number_is_removed_after_its_label_but_a_registration_number_is_kept():
    out = redact("身份证号：440305800101123，注册号440301103456789")
    assert "440305800101123" not in out and ID_MASK in out
    assert "440301103456789" in out


@pytest.mark.parametrize(
    "phone",
    ["13812345678", "138-1234-5678", "+86 138 1234 5678", "0755-26612345", "(0755)26612345", "020-8765432"],
)
def test_mobile_and_landline_numbers_are_removed(phone):
    out = redact(f"经营者于2024年3月5日通过{phone}联系")
    assert phone not in out and PHONE_MASK in out
    assert "2024年3月5日" in out


def test_labelled_phone_is_removed():
    assert "26612345" not in redact("联系电话：26612345")


@pytest.mark.parametrize(
    "text,account",
    [
        ("开户银行账号：6222 0212 3456 7890 123", "6222 0212 3456 7890 123"),
        ("罚款汇入6222021234567890123", "6222021234567890123"),
        ("银行卡号为 6217000010001234567", "6217000010001234567"),
    ],
)
def test_bank_account_numbers_are_removed(text, account):
    out = redact(text)
    assert account not in out and BANK_MASK in out


@pytest.mark.parametrize("label", ["住址", "家庭住址", "户籍地址", "现住址", "居住地"])
def test_home_addresses_are_removed(label):
    out = redact(f"法定代表人李四，{label}：深圳市南山区桃园路1号3栋502室，于……")
    assert "桃园路1号" not in out and ADDRESS_MASK in out


def test_an_enterprises_registered_domicile_is_public_and_kept():
    out = redact("当事人：深圳市甲乙食品有限公司，住所：深圳市南山区科技园1号")
    assert "深圳市甲乙食品有限公司" in out and "科技园1号" in out


@pytest.mark.parametrize(
    "text,name,masked",
    [
        ("当事人：张三，男，", "张三", "张某"),
        ("法定代表人：李小龙。", "李小龙", "李某"),
        ("负责人王五，", "王五", "王某"),
        ("委托代理人（律师）：赵六、", "赵六", "赵某"),
        ("经营者：欧阳娜娜，", "欧阳娜娜", "欧阳某"),
    ],
)
def test_natural_persons_names_after_a_role_are_masked_everywhere(text, name, masked):
    out = redact(text + f"经查，{name}于2024年生产。")
    assert name not in out
    assert out.count(masked) == 2


def test_a_company_after_a_role_label_is_not_taken_for_a_person():
    assert find_names("当事人：深圳市华科食品有限公司，") == set()
    assert find_names("当事人：华科厂，") == set()


def test_names_the_record_knows_are_masked_without_a_label():
    out = redact("陈大文未按规定进行出厂检验", names=["陈大文"])
    assert out == "陈某未按规定进行出厂检验"


def test_mask_name():
    assert mask_name("张三") == "张某"
    assert mask_name("司马光") == "司马某"
    assert mask_name("司马") == "司某"


def test_a_full_decision_text_keeps_its_facts_and_loses_personal_data():
    text = (
        "当事人：深圳市甲乙食品有限公司，统一社会信用代码：9144030071526726XG，住所：深圳市南山区科技园1号。"
        "法定代表人：张三，身份证号码：440305198001011234，联系电话：13812345678，家庭住址：深圳市福田区某路2号。"
        "经查，当事人生产的食品不符合食品安全标准，张三对此负责。罚款缴入账号：6222021234567890123。"
    )
    out = redact(text, names=["张三"])
    for secret in ("440305198001011234", "13812345678", "福田区某路2号", "6222021234567890123", "张三"):
        assert secret not in out
    for fact in ("9144030071526726XG", "深圳市甲乙食品有限公司", "科技园1号", "张某", "不符合食品安全标准"):
        assert fact in out


# --- issue 12 item 6: the patterns the audit found missing, and recall on a labelled set ---


@pytest.mark.parametrize(
    "text,secrets,kept",
    [
        ("股东王小二、张三丰均在现场。", ["王小二", "张三丰"], ["均在现场"]),
        ("当事人邵晓东和史秀英、雷静到场。", ["邵晓东", "史秀英", "雷静"], ["到场"]),
        ("联系电话：１３８１２３４５６７８", ["13812345678"], []),
        ("身份证号码４４０３０５１９８００１０１１２３４", ["440305198001011234"], []),
        ("当事人通过电子邮箱wangxiaoer12@163.com接收文书。", ["wangxiaoer12@163.com"], ["接收文书"]),
        ("外籍人员持护照E12345678入境。", ["E12345678"], ["入境"]),
        ("护照号码：EA1234567", ["EA1234567"], []),
        ("在车牌号为粤B·12345的货车上查获气瓶。", ["粤B·12345", "粤B12345"], ["查获气瓶"]),
        ("经查，刘德明于2024年3月起从事食品加工。", ["刘德明"], ["2024年3月"]),
        ("执法人员现场检查时，万小二拒绝提供票据。", ["万小二"], ["拒绝提供票据"]),
        ("以上事实有陈建国的询问笔录为证。", ["陈建国"], ["询问笔录"]),
    ],
)
def test_the_patterns_the_audit_found_missing(text, secrets, kept):
    out = redact(text)
    for s in secrets:
        assert s not in out
    for k in kept:
        assert k in out


@pytest.mark.parametrize(
    "text",
    [
        "违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定",
        "食品生产许可证编号SC10144030501234，特种设备生产许可证TS2310393-2025",
        "武汉市江汉区安达特种设备安装有限公司（统一社会信用代码91440300MA5FXXXX1U）",
        "高新区分局执法人员于2024年4月8日依法开展检查，金额共计人民币12,800元。",
        "当事人于陈述申辩期内未提出申辩。",
    ],
)
def test_public_facts_are_left_alone(text):
    assert redact(text) == text


def _labelled_set():
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / "redaction_set.json").read_text(encoding="utf-8"))


def _recall(items):
    import unicodedata

    def fold(s):
        return unicodedata.normalize("NFKC", s)

    total = removed = 0
    for it in items:
        out = fold(redact(it["text"]))
        total += len(it["personal"])
        removed += sum(fold(p) not in out for p in it["personal"])
    return removed / total


def test_recall_on_the_labelled_set_of_realistic_snippets():
    """ADR 0071: 335 snippets (265 built from templates of decision texts, 70 written by
    hand; names with and without labels, lists of names, numbers in both widths). Every
    snippet without personal data comes back unchanged and every public fact is kept."""
    items = _labelled_set()
    assert len(items) >= 200
    assert _recall(items) >= 0.98
    # the 40 snippets written last, measured before any pattern was adjusted for them
    assert _recall([i for i in items if i["kind"] == "handwritten_2"]) >= 0.75
    for it in items:
        out = redact(it["text"])
        assert all(p in out for p in it["public"]), it
        if not it["personal"]:
            assert out == it["text"], it


def test_violation_legal_basis_and_decision_text_reach_the_public_redacted(enterprise_factory, db):
    import datetime as dt

    from xinjian.collection.models import Penalty
    from xinjian.disclosure.queries import build_profile

    e = enterprise_factory(legal_representative="王小二")
    Penalty.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="t",
        source_id="P-red",
        decision_no="深南市监罚〔2025〕9号",
        decided_on=dt.date(2025, 1, 6),
        decided_by="深圳市南山区市场监督管理局",
        domain="food_safety",
        violation="王小二、张三丰生产超过保质期的食品",
        legal_basis="依据《食品安全法》第一百二十四条，当事人联系电话13812345678",
        decision_text="当事人：王小二，身份证号码：440305198001011234。",
        penalty_types=["fine"],
        fine_amount=50000,
        published_on=dt.date(2025, 1, 10),
    )
    [item] = build_profile(e, dt.date(2025, 2, 1))["penalties"]
    public = f"{item['violation']} {item['legal_basis']} {item['decision_text']}"
    for secret in ("王小二", "张三丰", "13812345678", "440305198001011234"):
        assert secret not in public
    assert "王某" in item["violation"] and "第一百二十四条" in item["legal_basis"]


def test_a_typical_case_is_published_redacted(client, enterprise_factory, db):
    import datetime as dt

    from xinjian.lists.models import TypicalCase

    e = enterprise_factory(legal_representative="赵德明")
    case = TypicalCase.objects.create(
        title="赵德明无证生产案",
        body="经查，赵德明于2024年起无证生产，联系电话13912345678，股东钱小芳、孙立也参与其中。",
        region_code="440305",
        status="published",
        written_by="a",
        published_on=dt.date(2025, 1, 10),
    )
    case.enterprises.add(e)
    html = client.get(f"/public/lists/cases/{case.pk}/").content.decode()
    for secret in ("赵德明", "13912345678", "钱小芳", "孙立"):
        assert secret not in html
    assert "赵某无证生产案" in html
    assert "赵德明" not in client.get("/public/lists/cases/").content.decode()
