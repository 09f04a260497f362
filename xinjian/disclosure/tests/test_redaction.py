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
