"""Words the synthetic province is made of: trade names, industries, people, streets.

Plain data, kept apart from the generator so that the generator reads as the model of the
world (ADR 0010). Lists are ordered and never shuffled in place: the generator draws
indices from them with a seeded RNG, so the same seed gives the same province.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words, duplicates dropped, order kept."""
    return tuple(dict.fromkeys(text.split()))


# Characters that Chinese trade names (字号) are commonly made of. Two or three of them
# make a trade name: ~110² two-character names, so 2-, 3- and 4-character name searches
# return realistic, neither empty nor huge, result sets.
TRADE_CHARS = _words(
    "鑫 华 盛 达 泰 兴 隆 源 嘉 和 恒 信 德 利 丰 裕 昌 宏 宝 安 永 福 瑞 祥 金 银 鸿 发 腾 "
    "飞 广 东 南 海 粤 珠 江 新 天 中 联 创 益 美 佳 康 健 绿 洲 园 香 味 乐 家 好 优 品 尚 "
    "汇 聚 博 通 顺 远 成 立 明 光 辉 志 远 思 诚 仁 义 礼 智 元 亨 启 宸 锦 绣 雅 致 朗 "
    "骏 豪 凯 旋 冠 群 万 千 百"
)

# Industry words by line of business. The generator picks the line first (it decides the
# licences an enterprise holds) and then a word of that line for the name.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "food": (
        "食品",
        "食品科技",
        "调味品",
        "乳业",
        "饮料",
        "粮油",
        "肉类食品",
        "烘焙食品",
        "茶业",
        "酒业",
        "罐头食品",
        "冷冻食品",
        "农产品加工",
    ),
    "food_additive": ("食品添加剂", "生物科技", "香精香料", "食品配料"),
    "special_equipment": (
        "机械设备",
        "锅炉",
        "电梯工程",
        "起重机械",
        "压力容器",
        "特种设备工程",
        "机电设备安装",
    ),
    "filling": ("气体", "燃气", "工业气体", "液化气"),
    "food_business": ("餐饮管理", "商贸", "超市", "食品贸易", "连锁便利店"),
    "industrial": ("电线电缆", "建材", "化工", "塑料制品", "钢铁制品", "电器"),
    "general": (
        "贸易",
        "科技",
        "电子",
        "信息技术",
        "实业",
        "投资",
        "物流",
        "服装",
        "家具",
        "印刷",
        "装饰工程",
        "文化传播",
        "咨询服务",
        "五金制品",
        "包装材料",
        "房地产开发",
        "网络科技",
    ),
}

LEGAL_FORMS = (("有限公司", 0.72), ("有限责任公司", 0.2), ("股份有限公司", 0.05), ("集团有限公司", 0.03))
ENTITY_TYPES = {
    "有限公司": "有限责任公司（自然人投资或控股）",
    "有限责任公司": "有限责任公司（自然人独资）",
    "股份有限公司": "股份有限公司（非上市、自然人投资或控股）",
    "集团有限公司": "有限责任公司（法人独资）",
}

# Common surnames, roughly in order of frequency (more frequent first: the generator draws
# them with a Zipf-like weight).
SURNAMES = _words(
    "陈 李 黄 张 梁 林 刘 吴 罗 杨 王 郑 何 周 谢 叶 钟 邓 许 冯 "
    "曾 朱 蔡 苏 卢 彭 潘 邱 余 赖 胡 郭 徐 江 方 谭 廖 陆 孙 马 "
    "莫 赵 严 袁 温 高 蒋 欧阳 司徒 麦 何 关 伍 卓 容 区 冼 植 杜 "
    "肖 宋 韩 唐 董 程 曹 沈 邹 姚 汪 范 金 石 魏 贾 夏 付 熊 田 "
    "任 姜 崔 龚 万 "
)

GIVEN_CHARS = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 "
    "刚 桂 英 华 建 国 文 辉 志 俊 峰 玲 红 燕 鹏 飞 斌 浩 宇 婷 "
    "雪 琳 晶 健 波 宁 坤 婉 嘉 欣 怡 子 轩 梓 涵 锦 荣 德 海 振 "
    "永 耀 添 钊 炜 烨 锋 彬 珊 慧 颖 倩 瑜 晓 春 秋 冬 梅 兰 松 "
    "柏 林 海 东 南 卫 民 庆 福 贵 才 生 发 荣 泉 源 铭 俊 展 鸿 "
    "毅 翔 骏 岚 蕾 莹 薇 "
)

ROAD_WORDS = _words(
    "人民 中山 解放 建设 新华 东风 迎宾 滨江 沿江 工业 科技 创业 环城 江南 青年 学府 文明 "
    "和平 友谊 团结 朝阳 振兴 长安 锦绣 金沙 龙华 凤凰 高新 世纪 花园 园林 站前 港口 "
    "南湖 北环 东环 西环 幸福 腾飞 发展 育才 桂花 荔枝 榕树 紫荆 木棉 红棉"
)
ROAD_SUFFIXES = ("路", "大道", "街", "一路", "二路", "北路", "南路", "东路", "西路")
BUILDINGS = ("", "", "", "大厦", "商务中心", "工业园", "科技园", "产业园", "广场")

# Food categories (first three digits after SC, domain.md §2): 1xx food, 2xx additive.
FOOD_CATEGORIES = (
    "101",
    "102",
    "103",
    "104",
    "105",
    "106",
    "107",
    "108",
    "109",
    "110",
    "111",
    "112",
    "113",
    "114",
    "115",
    "116",
    "118",
    "119",
    "120",
    "123",
    "124",
    "127",
    "129",
    "131",
)
FOOD_CATEGORY_NAMES = {
    "101": "粮食加工品",
    "102": "食用油、油脂及其制品",
    "103": "调味品",
    "104": "肉制品",
    "105": "乳制品",
    "106": "饮料",
    "107": "方便食品",
    "108": "饼干",
    "109": "罐头",
    "110": "冷冻饮品",
    "111": "速冻食品",
    "112": "薯类和膨化食品",
    "113": "糖果制品",
    "114": "茶叶及相关制品",
    "115": "酒类",
    "116": "蔬菜制品",
    "118": "炒货食品及坚果制品",
    "119": "蛋制品",
    "120": "可可及焙烤咖啡产品",
    "123": "水产制品",
    "124": "淀粉及淀粉制品",
    "127": "糕点",
    "129": "豆制品",
    "131": "特殊膳食食品",
}
ADDITIVE_CATEGORIES = ("201", "202", "203")
ADDITIVE_CATEGORY_NAMES = {"201": "食品添加剂", "202": "食品用香精", "203": "复配食品添加剂"}

SPECIAL_EQUIPMENT_SCOPES = (
    "锅炉安装改造修理",
    "压力容器制造",
    "电梯安装改造修理",
    "起重机械安装改造修理",
    "压力管道安装",
    "场（厂）内专用机动车辆修理",
)
FILLING_SCOPES = (
    "气瓶充装（永久气体）",
    "气瓶充装（液化气体）",
    "移动式压力容器充装（液化石油气）",
    "车用气瓶充装（压缩天然气）",
)
INDUSTRIAL_PRODUCT_CODES = ("01", "06", "07", "09", "10", "12", "14", "16", "18")

# Penalty content by domain: (violation, legal basis).
VIOLATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "food_safety": (
        ("生产经营不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条"),
        ("未按规定进行进货查验记录", "《中华人民共和国食品安全法》第一百二十六条"),
        ("使用超过保质期的食品原料生产食品", "《中华人民共和国食品安全法》第一百二十四条"),
        ("生产场所卫生条件不符合要求", "《中华人民共和国食品安全法》第一百二十六条"),
        ("超范围超限量使用食品添加剂", "《中华人民共和国食品安全法》第一百二十四条"),
    ),
    "special_equipment": (
        ("使用未经定期检验的特种设备", "《中华人民共和国特种设备安全法》第八十四条"),
        ("特种设备作业人员未取得相应资格", "《中华人民共和国特种设备安全法》第八十六条"),
        ("未按规定进行气瓶充装前检查", "《中华人民共和国特种设备安全法》第八十九条"),
        ("未经许可从事特种设备安装改造修理", "《中华人民共和国特种设备安全法》第七十七条"),
    ),
    "product_quality": (
        ("生产不符合保障人体健康和人身安全标准的产品", "《中华人民共和国产品质量法》第四十九条"),
        ("在产品中掺杂掺假、以次充好", "《中华人民共和国产品质量法》第五十条"),
        ("伪造产品产地、冒用认证标志", "《中华人民共和国产品质量法》第五十三条"),
    ),
    "consumer_rights": (
        ("对商品作虚假或者引人误解的宣传", "《中华人民共和国消费者权益保护法》第五十六条"),
        ("拒绝或拖延消费者退货要求", "《中华人民共和国消费者权益保护法》第五十六条"),
    ),
    "competition": (
        ("发布虚假广告", "《中华人民共和国广告法》第五十五条"),
        ("实施混淆行为", "《中华人民共和国反不正当竞争法》第十八条"),
        ("价格欺诈", "《中华人民共和国价格法》第四十条"),
    ),
    "registration": (
        ("未按规定办理变更登记", "《中华人民共和国市场主体登记管理条例》第四十六条"),
        ("提交虚假材料取得市场主体登记", "《中华人民共和国市场主体登记管理条例》第四十四条"),
    ),
}

COMPLAINT_CATEGORIES = (
    "食品安全",
    "产品质量",
    "价格收费",
    "虚假宣传",
    "特种设备安全",
    "合同纠纷",
    "售后服务",
    "计量",
    "无照经营",
    "其他",
)

# Inspection items (抽查事项) by line; the inspections app may define a catalogue later, these
# codes are what the demo's historic source systems used.
INSPECTION_ITEMS = {
    "food": ("SP-SC-01 食品生产企业监督检查", "SP-SC-02 食品生产许可条件核查"),
    "food_additive": ("SP-SC-03 食品添加剂生产监督检查",),
    "special_equipment": ("TZ-SC-01 特种设备生产单位监督检查", "TZ-SY-01 特种设备使用单位监督检查"),
    "filling": ("TZ-CZ-01 气瓶充装单位监督检查",),
    "food_business": ("SP-JY-01 食品经营者监督检查",),
    "industrial": ("CP-XK-01 工业产品生产许可证获证企业监督检查",),
    "general": ("DJ-GS-01 企业公示信息抽查", "DJ-ZS-01 登记事项检查"),
}

FINDINGS = (
    "生产记录不完整，已责令整改",
    "部分原料进货查验记录缺失",
    "作业人员资格证件过期",
    "车间卫生条件不达标",
    "年度报告信息与实际不符",
    "设备未按期检验",
    "标签标识不规范",
    "未按规定公示即时信息",
)
