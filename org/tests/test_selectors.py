from org.models import Bureau, Unit, User
from org.selectors import staff_display_names, unit_labels, unit_names_by_code


def test_unit_labels_come_from_the_copy_without_a_query(org, django_assert_num_queries):
    unit_labels({org.office_a.pk})

    with django_assert_num_queries(0):
        labels = unit_labels({org.office_a.pk, org.office_b.pk})

    assert labels == {
        org.office_a.pk: {"code": "yy", "name": "岳阳所", "bureau_id": org.bureau.pk},
        org.office_b.pk: {"code": "fs", "name": "方松所", "bureau_id": org.bureau.pk},
    }


def test_unit_renamed_here_is_shown_renamed(org):
    unit_labels({org.office_a.pk})
    org.office_a.name = "岳阳市场监管所"
    org.office_a.save()

    assert unit_labels({org.office_a.pk})[org.office_a.pk]["name"] == "岳阳市场监管所"


def test_unit_made_by_another_process_is_read_at_once(org):
    unit_labels({org.office_a.pk})
    # bulk_create sends no signal: as if another process had made it
    Unit.objects.bulk_create([Unit(bureau=org.bureau, code="zz", name="新所", kind=org.office_a.kind)])
    made = Unit.objects.get(code="zz")

    assert unit_labels({made.pk}) == {made.pk: {"code": "zz", "name": "新所", "bureau_id": org.bureau.pk}}


def test_staff_names_follow_display_name_and_renames(org, django_assert_num_queries):
    staff_display_names({org.handler.pk})
    with django_assert_num_queries(0):
        assert staff_display_names({org.handler.pk}) == {org.handler.pk: org.handler.display_name}

    org.handler.first_name, org.handler.last_name = "", ""
    org.handler.save()

    assert staff_display_names({org.handler.pk}) == {org.handler.pk: org.handler.username}


def test_staff_member_made_by_another_process_is_read_at_once(org):
    staff_display_names({org.handler.pk})
    User.objects.bulk_create([User(username="newcomer", first_name="芳", last_name="王", unit=org.office_a)])
    newcomer = User.objects.get(username="newcomer")

    assert staff_display_names({org.handler.pk, newcomer.pk}) == {
        org.handler.pk: org.handler.display_name,
        newcomer.pk: "王芳",
    }


def test_unit_names_by_code_are_the_bureaus_own_from_the_copy(org, django_assert_num_queries):
    elsewhere = Bureau.objects.create(code="elsewhere", name="另一区")
    Unit.objects.create(bureau=elsewhere, code="yy", name="别区岳阳所", kind=org.office_a.kind)
    unit_names_by_code(org.bureau.pk)

    with django_assert_num_queries(0):
        names = unit_names_by_code(org.bureau.pk)

    assert names == dict(Unit.objects.filter(bureau=org.bureau).values_list("code", "name"))
    assert names["yy"] == "岳阳所"
