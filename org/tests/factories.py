from types import SimpleNamespace

from org.choices import RoleCode, UnitKind
from org.models import Bureau, Role, Unit, User

PASSWORD = "test-password-123"


def make_user(username: str, unit: Unit | None, *roles: str, language: str = "zh-hans") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, language=language)
    user.last_name = username
    if RoleCode.ADMIN in roles:
        user.is_staff = True
        user.is_superuser = True
    user.save()
    if roles:
        user.roles.set(Role.objects.filter(code__in=roles))
    return user


def make_org(code: str = "sj") -> SimpleNamespace:
    bureau = Bureau.objects.create(code=code, name=f"{code} bureau")
    cp = Unit.objects.create(
        bureau=bureau, code="xbk", name="消保科", kind=UnitKind.SECTION, is_consumer_protection=True
    )
    food = Unit.objects.create(bureau=bureau, code="spk", name="食品科", kind=UnitKind.SECTION)
    office_a = Unit.objects.create(bureau=bureau, code="yy", name="岳阳所", kind=UnitKind.OFFICE, town="岳阳街道")
    office_b = Unit.objects.create(bureau=bureau, code="fs", name="方松所", kind=UnitKind.OFFICE, town="方松街道")
    prefix = f"{code}_"
    return SimpleNamespace(
        bureau=bureau,
        cp=cp,
        food=food,
        office_a=office_a,
        office_b=office_b,
        dispatcher=make_user(prefix + "dispatcher", cp, RoleCode.DISPATCHER),
        handler=make_user(prefix + "handler", office_a, RoleCode.HANDLER),
        handler_b=make_user(prefix + "handler_b", office_b, RoleCode.HANDLER),
        deputy=make_user(prefix + "deputy", office_a, RoleCode.UNIT_DEPUTY),
        deputy_b=make_user(prefix + "deputy_b", office_b, RoleCode.UNIT_DEPUTY),
        unit_leader=make_user(prefix + "unitleader", office_a, RoleCode.UNIT_LEADER),
        reviewer=make_user(prefix + "reviewer", cp, RoleCode.SECTION_REVIEWER),
        chief=make_user(prefix + "chief", cp, RoleCode.SECTION_CHIEF),
        leader=make_user(prefix + "leader", cp, RoleCode.BUREAU_LEADER),
        admin=make_user(prefix + "admin", cp, RoleCode.ADMIN),
    )
