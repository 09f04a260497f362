"""Personal data removed from free text before it is published (domain.md §5; Order 45
art. 11): natural persons' ID, passport, phone and bank account numbers, e-mail addresses,
vehicle plates, home addresses; natural persons' names masked as 张某. Every free-text
field that reaches the public passes through `redact` (decision texts, violations, legal
bases, findings, commitment contents, typical cases, integrity articles).

Approach (docs/adr/0032, 0071): full-width letters and digits are folded to ASCII first, so
one set of shapes catches both widths. Names are found three ways — the names the record
itself knows (the legal representative, passed in by the caller), the names that follow a
role label (当事人：张三，法定代表人：李四) together with the names listed after them
(股东王小二、张三丰和李四), and names without a label where a common surname starts a
2–3 character word in a context only a person takes (经查，刘德明于…; 据王伟陈述; …拒绝).
Every occurrence of a found name is then masked, also where the text repeats it. Numbers
are removed by shape, with labels for the shapes that are ambiguous (15-digit old ID
numbers look like old registration numbers, which are public). Recall on the labelled set
in tests/data is measured by a test and recorded in ADR 0071.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_MASK = "[身份证号码已隐去]"
PHONE_MASK = "[电话号码已隐去]"
BANK_MASK = "[银行账号已隐去]"
ADDRESS_MASK = "[住址已隐去]"
EMAIL_MASK = "[电子邮箱已隐去]"
PASSPORT_MASK = "[证件号码已隐去]"
PLATE_MASK = "[车牌号码已隐去]"

# Full-width ASCII (０-９, Ａ-Ｚ, ａ-ｚ and the punctuation of numbers and e-mail) → ASCII.
_FOLD = str.maketrans(
    {
        chr(c): chr(c - 0xFEE0)
        for c in range(0xFF01, 0xFF5F)
        if chr(c - 0xFEE0).isalnum() or chr(c - 0xFEE0) in "@.-+_"
    }
)
_FOLD[0x3000] = " "  # ideographic space inside grouped numbers

# GB 11643: 6-digit area, birth date YYYYMMDD, 3-digit sequence, check digit or X;
# also written in groups (6 8 4) with spaces.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![0-9A-Za-z])"
)
# 15-digit (pre-1999) ID numbers only after a label: a bare 15-digit number is more likely
# an enterprise's old registration number, which is public.
_ID_LABELLED = re.compile(
    r"((?:公民)?身份(?:证)?(?:件)?(?:号码|号)?|证件号码)\s*[：:为是]?\s*[0-9]{15}(?:[0-9]{2}[0-9Xx])?"
)
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_LANDLINE = re.compile(
    r"(?<![0-9])(?:[(（]0\d{2,3}[)）]|0\d{2,3}-?)\s?[2-9]\d{6,7}(?:[-转]\d{1,6})?(?![0-9])"
)
_PHONE_LABELLED = re.compile(r"((?:联系)?电话|手机(?:号码)?|联系方式)\s*[：:为是]?\s*[0-9][0-9\- ]{6,}[0-9]")
_BANK_LABELLED = re.compile(
    r"((?:银行)?(?:账号|帐号|账户|帐户|卡号)(?:号码)?)\s*[：:为是]?\s*\d(?:[\d ]{10,30})\d"
)
# An unlabelled run of 16–21 digits (optionally grouped by spaces) is an account number:
# ID numbers are removed before this runs, and no public identifier is that long in digits.
_BANK_BARE = re.compile(r"(?<![0-9A-Za-z])\d{4}(?: ?\d{4}){3}(?: ?\d{1,5})?(?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Chinese ordinary passports: E + 8 digits or E + letter + 7 digits (older G + 8 digits);
# other travel documents after their label.
_PASSPORT_LABELLED = re.compile(
    r"((?:护照|通行证|旅行证|回乡证)(?:号码|号)?)\s*[：:为是]?\s*[A-Za-z]{1,2}\d{6,9}"
)
_PASSPORT_BARE = re.compile(r"(?<![0-9A-Za-z])(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})(?![0-9A-Za-z])")
# GA 36: a province's one-character abbreviation, the issuing office's letter, then 5
# characters (6 for new-energy plates), sometimes written with a middle dot.
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])"
)
_ADDRESS = re.compile(
    r"((?:家庭|户籍|现|常)?住址(?:地)?|户籍(?:所在)?地|居住地(?:址)?|住在|现住|现居住于|居住于)\s*[：:为是]?\s*[^，,。；;\n）)]+"
)

_ROLE = (
    r"当事人|法定代表人|负责人|经营者|投资人|委托代理人|代理人|联系人|股东|执行事务合伙人|"
    r"实际控制人|业主|姓名|被检查人|被处罚人|主要负责人|相关人员|现场负责人|举报人|证人|店主|律师|员工|"
    r"管理员|操作人员|作业人员|从业人员|检验员|销售员|厨师|司机|驾驶员|法人|户主|房东|承租人|出租人|"
    r"受委托人|委托人|受托人|店员|董事长|总经理|经理|监事|董事"
)
# What may follow a person's name directly: punctuation, or the start of the details a
# decision gives about a person (身份证…, 男, 住…).
_AFTER_NAME = (
    r"(?=[，,。；;、\s（(：:和及与均等]|$|身份|公民|证件|护照|住|户籍|现住|男|女|系|在|于|对|称|到场|的|未|"
    r"正在|证实|参加|送达|签字|供认|反映|承认|拒绝|陈述|无|三人|二人|两人|生产|销售|经营|购进|从事|使用|"
    r"提供|组织|负责|共同|合伙|擅自)"
)
_NAME_AFTER_ROLE = re.compile(
    rf"(?:{_ROLE})(?:[（(][^）)]{{0,10}}[)）])?\s*[：:为是]?\s*([\u4e00-\u9fa5·]{{2,4}}?){_AFTER_NAME}"
)
_ORG_SUFFIX = re.compile(
    r"(公司|厂|店|部|社|中心|院|所|局|站|场|行|馆|会|处|队|科|室|园|坊|铺|区|市|县|镇|村)$"
)


def mask_name(name: str) -> str:
    """张三 → 张某, 欧阳娜娜 → 欧阳某."""
    name = name.strip()
    if len(name) < 2:
        return name
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


_COMPOUND_SURNAMES = frozenset(
    re.findall(
        r"\S+",
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 澹台 轩辕 呼延 南宫 西门",
    )
)
# The common single-character surnames (《百家姓》 and the national surname statistics):
# a name without a label is only taken when it starts with one of them.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝于"
)
# Words that start with a surname character but are not names (kept from masking).
_NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        "金额 高温 高新 马路 黄金 石油 方面 方式 白天 江苏 于是 万元 常年 安全 文件 路段 林地 华南 程序 包装 "
        "张贴 周边 周年 朱红 胡乱 高压 高于 高度 高速 左右 左侧 右侧 余额 余款 全部 全面 全国 应当 应急 "
        "成品 成本 成都 时间 时期 明显 明确 明知 景区 宁波 温度 温州 康复 和平 和解 席位 卫生 连续 连锁 管理 "
        "管道 商品 商场 商标 商户 沙发 关于 关闭 单位 季度 华为 苗木 章程 包括 车辆 车间 项目 简易 宫廷 费用 "
        "师傅 边境 党员 向其 向社会 于当日 邓小平 毛泽东 雷锋 白云 江汉 龙岗 罗湖 宝安 华强 黄埔 石岩 文三",
    )
)
_NOT_NAME_LAST = frozenset(
    "额件式面全序装品料业年月日元类期间内外上下中前后次时区市县镇村路街号楼室厂店司局所站等种项条款法规者人员方可述证"
)
_PERSON_BEFORE = r"(?:经查[，,]?|据|向|由|有|将|被|时[，,]|[，,。；;：:]|^)"
_PERSON_AFTER = (
    r"(?=于\d|于[一二]|在[^线]|对上述|对违法|对检查|对此|承认|拒绝|陈述|表示|称|签字|签名|系|的询问|的陈述|"
    r"的身份|实际经营|未能|未按|未取得|未履行|无异议|到场|均在|二人|等人|本人|送达|户籍|住址|身份证|证件|证实|"
    r"正在|供认|（|\()"
)
_NAME_UNLABELLED = re.compile(
    rf"{_PERSON_BEFORE}([{''.join(sorted(_SURNAMES))}][\u4e00-\u9fa5]{{1,2}}?){_PERSON_AFTER}"
)
_LIST_NEXT = re.compile(rf"[、，,和及与]([\u4e00-\u9fa5·]{{2,4}}?){_AFTER_NAME}")


def _has_surname(token: str) -> bool:
    return token[:1] in _SURNAMES or token[:2] in _COMPOUND_SURNAMES


def _is_person_name(token: str) -> bool:
    return 2 <= len(token) <= 4 and not _ORG_SUFFIX.search(token) and "某" not in token


def find_names(text: str, known: Iterable[str] = ()) -> set[str]:
    """Names of natural persons in `text`: after a role label, the `known` names, the
    names listed after either of them, and names without a label where only a person
    fits the context."""
    found: set[str] = set()
    starts = [(m.group(1), m.end(1)) for m in _NAME_AFTER_ROLE.finditer(text)]
    for name in known:
        starts += [(name, m.end()) for m in re.finditer(re.escape(name), text)] if name else []
    for token, end in starts:
        if not (_is_person_name(token) and _has_surname(token)):
            continue
        found.add(token)
        # 股东王小二、张三丰和李四: the names listed after the first one.
        pos = end
        while (
            (nxt := _LIST_NEXT.match(text, pos))
            and _is_person_name(nxt.group(1))
            and _has_surname(nxt.group(1))
        ):
            found.add(nxt.group(1))
            pos = nxt.end(1)
    for m in _NAME_UNLABELLED.finditer(text):
        token = m.group(1)
        if token in _NOT_NAMES or token[-1] in _NOT_NAME_LAST or not _is_person_name(token):
            continue
        found.add(token)
    return found


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with personal data removed. `names`: natural persons the record names
    (e.g. the legal representative), masked wherever they occur."""
    if not text:
        return text
    out = text.translate(_FOLD)
    out = _EMAIL.sub(EMAIL_MASK, out)
    out = _ID_LABELLED.sub(lambda m: f"{m.group(1)}：{ID_MASK}", out)
    out = _ID18.sub(ID_MASK, out)
    out = _PASSPORT_LABELLED.sub(lambda m: f"{m.group(1)}：{PASSPORT_MASK}", out)
    out = _PASSPORT_BARE.sub(PASSPORT_MASK, out)
    out = _BANK_LABELLED.sub(lambda m: f"{m.group(1)}：{BANK_MASK}", out)
    out = _PHONE_LABELLED.sub(lambda m: f"{m.group(1)}：{PHONE_MASK}", out)
    out = _MOBILE.sub(PHONE_MASK, out)
    out = _LANDLINE.sub(PHONE_MASK, out)
    out = _BANK_BARE.sub(BANK_MASK, out)
    out = _PLATE.sub(PLATE_MASK, out)
    out = _ADDRESS.sub(lambda m: f"{m.group(1)}：{ADDRESS_MASK}", out)
    known = {n.strip() for n in names if n and _is_person_name(n.strip())}
    people = known | find_names(out, known)
    # Longest first, so 欧阳娜娜 is masked before a shorter name inside it.
    for name in sorted(people, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out
