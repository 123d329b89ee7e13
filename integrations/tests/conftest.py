import copy
import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from integrations.services import integration_client_create
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)

PAYLOAD = {
    "external_id": "SH12345-20261128-000123",
    "source": "12345",
    "kind": "complaint",
    "title": "预付卡商家关门",
    "content": "某教育机构突然关门，预付学费无法退还。",
    "received_at": "2026-11-28T09:15:00+08:00",
    "reply_due_working_days": 5,
    "category": "education",
    "tags": ["mass"],
    "complainant": {
        "name": "张三",
        "phone": "13812345678",
        "id_number": "310101199001011234",
        "address": "松江区某路1号",
        "is_real_name": True,
    },
    "respondent": {"name": "某某教育科技有限公司", "credit_code": "91310117MA1J2XXXXX", "address": "松江区某路2号"},
    "location": {"address": "松江区某路2号", "lat": 31.03, "lng": 121.22},
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The rate counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def payload():
    return copy.deepcopy(PAYLOAD)


@pytest.fixture
def integration(org):
    client, key = integration_client_create(name="12345 platform")
    return client, key


@pytest.fixture
def platform(integration):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {integration[1]}")
    return api


@pytest.fixture
def frozen():
    import time_machine

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
