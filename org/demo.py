"""The demo bureau: sections, field units and one account per role. Safe to run twice."""

from dataclasses import dataclass

from django.db import transaction

from org.choices import RoleCode, UnitKind
from org.models import Bureau, Role, Unit, User

DEMO_PASSWORD = "hotline-demo"

SECTIONS = [
    ("xbk", "消费者权益保护科", True),
    ("ggk", "广告监督管理科", False),
    ("spk", "食品经营监督管理科", False),
    ("jgk", "价格监督检查科", False),
]
FIELD_UNITS = [
    ("yy", "岳阳市场监管所", UnitKind.OFFICE, "岳阳街道"),
    ("fs", "方松市场监管所", UnitKind.OFFICE, "方松街道"),
    ("jt", "九亭市场监管所", UnitKind.OFFICE, "九亭镇"),
    ("sj", "泗泾市场监管所", UnitKind.OFFICE, "泗泾镇"),
    ("zfdd", "执法大队", UnitKind.BRIGADE, ""),
]
# username, family name, given name, unit code, roles
ACCOUNTS = [
    ("dispatcher", "陈", "派单", "xbk", [RoleCode.DISPATCHER]),
    ("handler", "李", "承办", "yy", [RoleCode.HANDLER]),
    ("handler2", "王", "承办", "fs", [RoleCode.HANDLER]),
    ("handler3", "钱", "承办", "jt", [RoleCode.HANDLER]),
    ("handler4", "冯", "承办", "sj", [RoleCode.HANDLER]),
    ("handler5", "蒋", "执法", "zfdd", [RoleCode.HANDLER]),
    ("deputy", "赵", "分管", "yy", [RoleCode.UNIT_DEPUTY]),
    ("deputy2", "褚", "分管", "fs", [RoleCode.UNIT_DEPUTY]),
    ("deputy3", "卫", "分管", "jt", [RoleCode.UNIT_DEPUTY]),
    ("deputy4", "沈", "分管", "sj", [RoleCode.UNIT_DEPUTY]),
    ("deputy5", "韩", "分管", "zfdd", [RoleCode.UNIT_DEPUTY]),
    ("unitleader", "孙", "所长", "yy", [RoleCode.UNIT_LEADER]),
    ("reviewer", "周", "审核", "xbk", [RoleCode.SECTION_REVIEWER]),
    ("chief", "吴", "科长", "xbk", [RoleCode.SECTION_CHIEF]),
    ("leader", "郑", "局长", "xbk", [RoleCode.BUREAU_LEADER]),
    ("admin", "冯", "管理", "xbk", [RoleCode.ADMIN]),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: str
    unit: str


@transaction.atomic
def demo_seed_organisation() -> tuple[Bureau, list[DemoAccount]]:
    bureau, _ = Bureau.objects.get_or_create(code="songjiang", defaults={"name": "松江区市场监督管理局"})
    units = {}
    for code, name, is_cp in SECTIONS:
        units[code], _ = Unit.objects.get_or_create(
            bureau=bureau,
            code=code,
            defaults={"name": name, "kind": UnitKind.SECTION, "is_consumer_protection": is_cp},
        )
    for code, name, kind, town in FIELD_UNITS:
        units[code], _ = Unit.objects.get_or_create(
            bureau=bureau, code=code, defaults={"name": name, "kind": kind, "town": town}
        )
    roles = {role.code: role for role in Role.objects.all()}
    accounts = []
    for username, family, given, unit_code, role_codes in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": family,
                "first_name": given,
                "unit": units[unit_code],
                "email": f"{username}@example.gov.cn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if RoleCode.ADMIN in role_codes:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            user.roles.set([roles[code] for code in role_codes])
        accounts.append(
            DemoAccount(
                username=username,
                password=DEMO_PASSWORD,
                roles="、".join(str(roles[code]) for code in role_codes),
                unit=units[unit_code].name,
            )
        )
    return bureau, accounts
