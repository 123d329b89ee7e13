import datetime as dt

from django.db import migrations

CATEGORIES = [
    ("food", "食品", None),
    ("food-catering", "餐饮服务", "food"),
    ("food-sales", "食品销售", "food"),
    ("education", "教育培训", None),
    ("prepaid", "预付式消费", None),
    ("advertising", "广告", None),
    ("price", "价格", None),
    ("product-quality", "产品质量", None),
    ("special-equipment", "特种设备", None),
    ("drugs", "药品医疗器械", None),
    ("cosmetics", "化妆品", None),
    ("online-trade", "网络交易", None),
    ("contract", "合同格式条款", None),
    ("licensing", "登记注册与无照经营", None),
    ("measurement", "计量", None),
    ("other", "其他", None),
]

BASELINE = dt.date(2000, 1, 1)
# clock, kind ("" = every kind), tag, working days, counted from, legal basis
RULES = [
    ("first_contact", "", "", 1, "receipt", "上海12345热线：先行联系1个工作日"),
    ("reply", "complaint", "", 15, "receipt", "12345平台答复期限（派单未定时的默认值）"),
    ("reply", "report", "", 15, "receipt", "12345平台答复期限（派单未定时的默认值）"),
    ("reply", "composite", "", 15, "receipt", "12345平台答复期限（派单未定时的默认值）"),
    ("reply", "inquiry", "", 3, "receipt", "12345平台答复期限（派单未定时的默认值）"),
    ("reply", "suggestion", "", 5, "receipt", "12345平台答复期限（派单未定时的默认值）"),
    ("acceptance", "complaint", "", 7, "receipt", "《市场监督管理投诉举报处理暂行办法》第十四条"),
    ("acceptance", "composite", "", 7, "receipt", "《市场监督管理投诉举报处理暂行办法》第十四条"),
    ("mediation", "complaint", "", 45, "acceptance", "《市场监督管理投诉举报处理暂行办法》第二十一条"),
    ("mediation", "composite", "", 45, "acceptance", "《市场监督管理投诉举报处理暂行办法》第二十一条"),
    ("verification", "report", "", 15, "receipt", "《市场监督管理行政处罚程序规定》第十八条"),
    ("verification", "composite", "", 15, "receipt", "《市场监督管理行政处罚程序规定》第十八条"),
    ("reporter_notice", "report", "", 5, "filing_decision", "《市场监督管理投诉举报处理暂行办法》第三十一条"),
    ("reporter_notice", "composite", "", 5, "filing_decision", "《市场监督管理投诉举报处理暂行办法》第三十一条"),
    ("advertising", "", "advertising", 7, "receipt", "《广告法》第五十三条"),
    ("redo", "", "", 3, "callback", "回访不满意：3个工作日内重办"),
]


def load(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    DeadlineRule = apps.get_model("tickets", "DeadlineRule")
    by_code = {}
    for code, name, parent in CATEGORIES:
        by_code[code], _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "parent": by_code.get(parent)}
        )
    for clock, kind, tag, days, start, basis in RULES:
        DeadlineRule.objects.get_or_create(
            clock=clock,
            kind=kind,
            tag=tag,
            effective_from=BASELINE,
            defaults={"working_days": days, "start_event": start, "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_work_orders")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
