from django.db import migrations

ROLES = [
    ("dispatcher", "受理派单员"),
    ("handler", "承办人"),
    ("unit_deputy", "所队分管领导"),
    ("unit_leader", "所队负责人"),
    ("section_reviewer", "科室审核员"),
    ("section_chief", "科长"),
    ("bureau_leader", "局领导"),
    ("admin", "系统管理员"),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for code, name in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_organisation")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
