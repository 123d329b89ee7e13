import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def _roles(transactional_db):
    # An earlier transactional test truncates every table, the roles made by a data migration included.
    from org.choices import RoleCode
    from org.models import Role

    for code in RoleCode.values:
        Role.objects.get_or_create(code=code, defaults={"name": code})
