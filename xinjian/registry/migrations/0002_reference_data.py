"""Divisions of the deployment's province (GB/T 2260) with one market regulation department
per division and its offices, and the default key-area types of domain.md §3.

Frozen (issue 11 §6): the division lists, offices and key-area types are copied here as
they stood when this was written, so a database migrated later gets the same rows. Which
province is loaded is the deployment's setting (XINJIAN_PROVINCE, checked at start-up); a
province this migration does not carry needs a later migration with its divisions.
"""

from django.conf import settings
from django.db import migrations

OFFICES = [('credit', '信用监管科'),
 ('food', '食品生产监管科'),
 ('special_equipment', '特种设备安全监察科'),
 ('enforcement', '执法稽查科'),
 ('it', '信息化管理科')]

KEY_AREA_TYPES = [('food_production', '食品生产企业', 'Food production enterprise', 'food', 'food_production', 'SC1', True),
 ('food_additive_production',
  '食品添加剂生产企业',
  'Food additive production enterprise',
  'food',
  'food_additive_production',
  'SC2',
  True),
 ('special_equipment_production',
  '特种设备生产单位',
  'Special equipment production unit',
  'special_equipment',
  'special_equipment_production',
  'TS',
  True),
 ('special_equipment_filling',
  '移动式压力容器/气瓶充装单位',
  'Pressure vessel / gas cylinder filling unit',
  'special_equipment',
  'special_equipment_filling',
  'TS',
  True),
 ('industrial_product',
  '重点工业产品生产企业',
  'Key industrial product producer',
  'industrial_product',
  'industrial_product',
  '',
  False),
 ('food_business', '食品经营者', 'Food business operator', 'food', 'food_business', 'JY', False)]

DIVISIONS = {'440000': [('440000', '广东省'),
            ('440100', '广州市'),
            ('440103', '荔湾区'),
            ('440104', '越秀区'),
            ('440105', '海珠区'),
            ('440106', '天河区'),
            ('440111', '白云区'),
            ('440112', '黄埔区'),
            ('440113', '番禺区'),
            ('440114', '花都区'),
            ('440115', '南沙区'),
            ('440117', '从化区'),
            ('440118', '增城区'),
            ('440200', '韶关市'),
            ('440203', '武江区'),
            ('440204', '浈江区'),
            ('440205', '曲江区'),
            ('440222', '始兴县'),
            ('440224', '仁化县'),
            ('440229', '翁源县'),
            ('440232', '乳源瑶族自治县'),
            ('440233', '新丰县'),
            ('440281', '乐昌市'),
            ('440282', '南雄市'),
            ('440300', '深圳市'),
            ('440303', '罗湖区'),
            ('440304', '福田区'),
            ('440305', '南山区'),
            ('440306', '宝安区'),
            ('440307', '龙岗区'),
            ('440308', '盐田区'),
            ('440309', '龙华区'),
            ('440310', '坪山区'),
            ('440311', '光明区'),
            ('440400', '珠海市'),
            ('440402', '香洲区'),
            ('440403', '斗门区'),
            ('440404', '金湾区'),
            ('440500', '汕头市'),
            ('440507', '龙湖区'),
            ('440511', '金平区'),
            ('440512', '濠江区'),
            ('440513', '潮阳区'),
            ('440514', '潮南区'),
            ('440515', '澄海区'),
            ('440523', '南澳县'),
            ('440600', '佛山市'),
            ('440604', '禅城区'),
            ('440605', '南海区'),
            ('440606', '顺德区'),
            ('440607', '三水区'),
            ('440608', '高明区'),
            ('440700', '江门市'),
            ('440703', '蓬江区'),
            ('440704', '江海区'),
            ('440705', '新会区'),
            ('440781', '台山市'),
            ('440783', '开平市'),
            ('440784', '鹤山市'),
            ('440785', '恩平市'),
            ('440800', '湛江市'),
            ('440802', '赤坎区'),
            ('440803', '霞山区'),
            ('440804', '坡头区'),
            ('440811', '麻章区'),
            ('440823', '遂溪县'),
            ('440825', '徐闻县'),
            ('440881', '廉江市'),
            ('440882', '雷州市'),
            ('440883', '吴川市'),
            ('440900', '茂名市'),
            ('440902', '茂南区'),
            ('440904', '电白区'),
            ('440981', '高州市'),
            ('440982', '化州市'),
            ('440983', '信宜市'),
            ('441200', '肇庆市'),
            ('441202', '端州区'),
            ('441203', '鼎湖区'),
            ('441204', '高要区'),
            ('441223', '广宁县'),
            ('441224', '怀集县'),
            ('441225', '封开县'),
            ('441226', '德庆县'),
            ('441284', '四会市'),
            ('441300', '惠州市'),
            ('441302', '惠城区'),
            ('441303', '惠阳区'),
            ('441322', '博罗县'),
            ('441323', '惠东县'),
            ('441324', '龙门县'),
            ('441400', '梅州市'),
            ('441402', '梅江区'),
            ('441403', '梅县区'),
            ('441422', '大埔县'),
            ('441423', '丰顺县'),
            ('441424', '五华县'),
            ('441426', '平远县'),
            ('441427', '蕉岭县'),
            ('441481', '兴宁市'),
            ('441500', '汕尾市'),
            ('441502', '城区'),
            ('441521', '海丰县'),
            ('441523', '陆河县'),
            ('441581', '陆丰市'),
            ('441600', '河源市'),
            ('441602', '源城区'),
            ('441621', '紫金县'),
            ('441622', '龙川县'),
            ('441623', '连平县'),
            ('441624', '和平县'),
            ('441625', '东源县'),
            ('441700', '阳江市'),
            ('441702', '江城区'),
            ('441704', '阳东区'),
            ('441721', '阳西县'),
            ('441781', '阳春市'),
            ('441800', '清远市'),
            ('441802', '清城区'),
            ('441803', '清新区'),
            ('441821', '佛冈县'),
            ('441823', '阳山县'),
            ('441825', '连山壮族瑶族自治县'),
            ('441826', '连南瑶族自治县'),
            ('441881', '英德市'),
            ('441882', '连州市'),
            ('441900', '东莞市'),
            ('442000', '中山市'),
            ('445100', '潮州市'),
            ('445102', '湘桥区'),
            ('445103', '潮安区'),
            ('445122', '饶平县'),
            ('445200', '揭阳市'),
            ('445202', '榕城区'),
            ('445203', '揭东区'),
            ('445222', '揭西县'),
            ('445224', '惠来县'),
            ('445281', '普宁市'),
            ('445300', '云浮市'),
            ('445302', '云城区'),
            ('445303', '云安区'),
            ('445321', '新兴县'),
            ('445322', '郁南县'),
            ('445381', '罗定市')]}



def _level(code):
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _parent(code, known):
    level = _level(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in known else code[:2] + "0000"


def forwards(apps, schema_editor):
    Division = apps.get_model("registry", "Division")
    Department = apps.get_model("registry", "Department")
    Office = apps.get_model("registry", "Office")
    KeyAreaType = apps.get_model("registry", "KeyAreaType")
    # Another province, or the national hub: registry 0003 loads the whole country and
    # the territory's departments.
    rows = DIVISIONS.get(settings.XINJIAN_PROVINCE, [])
    known = {code for code, _ in rows}
    for code, name in sorted(rows):  # parents sort before children
        division, _ = Division.objects.get_or_create(
            code=code, defaults={"name": name, "level": _level(code), "parent_id": _parent(code, known)}
        )
        dept, _ = Department.objects.get_or_create(division=division, defaults={"name": f"{name}市场监督管理局"})
        for kind, office_name in OFFICES:
            Office.objects.get_or_create(department=dept, kind=kind, defaults={"name": office_name})
    for i, (code, name, name_en, domain, licence_type, prefix, enabled) in enumerate(KEY_AREA_TYPES):
        KeyAreaType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "domain": domain,
                "licence_type": licence_type,
                "licence_no_prefix": prefix,
                "enabled": enabled,
                "sort_order": i * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
