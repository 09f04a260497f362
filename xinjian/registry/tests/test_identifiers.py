import pytest

from xinjian.registry.identifiers import (
    IdentifierError,
    build_uscc,
    normalize_licence_no,
    normalize_uscc,
    organisation_code_warning,
)

REAL = ["91350100M000100Y43", "9144030071526726XG", "91512081MA62K0260E"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Characters outside the code's alphabet: the five excluded letters, punctuation, CJK.
FOREIGN = "IOSVZ-#中"


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_accepted(code):
    assert normalize_uscc(code) == code
    assert organisation_code_warning(code) is None


@pytest.mark.parametrize("code", REAL)
def test_lower_case_and_full_width_input_is_normalised(code):
    assert normalize_uscc(code.lower()) == code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert normalize_uscc(f" {full_width} ") == code


@pytest.mark.parametrize("code", REAL)
def test_every_single_character_corruption_is_rejected(code):
    corruptions = 0
    for i, original in enumerate(code):
        for c in ALPHABET + FOREIGN:
            if c == original:
                continue
            corrupted = code[:i] + c + code[i + 1 :]
            with pytest.raises(IdentifierError) as err:
                normalize_uscc(corrupted)
            assert err.value.code == "invalid_uscc"
            corruptions += 1
        # Dropping or doubling a character changes the length.
        for corrupted in (code[:i] + code[i + 1 :], code[:i] + original + code[i:]):
            with pytest.raises(IdentifierError):
                normalize_uscc(corrupted)
            corruptions += 1
    assert corruptions == 18 * (len(ALPHABET) - 1 + len(FOREIGN) + 2)


def test_rejection_messages_are_chinese_and_say_what_is_wrong():
    with pytest.raises(IdentifierError, match="18位"):
        normalize_uscc("9144030071526726X")
    with pytest.raises(IdentifierError, match="校验码"):
        normalize_uscc("9144030071526726XH")
    with pytest.raises(IdentifierError) as err:
        normalize_uscc("")
    assert err.value.code == "required"


def test_inner_check_failure_is_a_warning_not_a_rejection():
    good = build_uscc("440305", "MA5F0001")
    # Replace the inner check character, then recompute only the outer check.
    from stdnum.cn.uscc import calc_check_digit

    wrong_inner = "1" if good[16] != "1" else "2"
    body = good[:16] + wrong_inner
    code = body + calc_check_digit(body)
    assert normalize_uscc(code) == code
    assert "校验不通过" in organisation_code_warning(code)


@pytest.mark.parametrize(
    "licence_type,number,ok",
    [
        ("food_production", "SC10144030500017", True),
        ("food_production", "SC20144030500017", False),  # category 2 is a food additive
        ("food_additive_production", "SC20144030500017", True),
        ("food_production", "SC1014403050001", False),
        ("special_equipment_production", "TS2310393-2025", True),
        ("special_equipment_production", "TS231039-2025", False),
        ("industrial_product", "XK16-204-01234", True),
        ("industrial_product", "(浙)XK16-204-01234", True),
        ("industrial_product", "（浙）XK16-204-01234", True),
        ("food_business", "JY14403050001234", True),
        ("other", "whatever-1", True),
    ],
)
def test_licence_number_shapes(licence_type, number, ok):
    if ok:
        assert normalize_licence_no(licence_type, number)
    else:
        with pytest.raises(IdentifierError):
            normalize_licence_no(licence_type, number)
