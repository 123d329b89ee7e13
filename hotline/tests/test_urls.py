import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client):
    # QA: the admin pages link no icon, so every one of them logged a 404 for /favicon.ico.
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (302, static("img/favicon.svg"))
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg") is not None  # what the static storage serves under that name


def test_favicon_ico_does_not_accept_a_post(client):
    assert client.post("/favicon.ico").status_code == 405
