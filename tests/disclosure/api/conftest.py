"""Fixtures for the API tests: bearer tokens for the demo accounts."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import APIToken

API = "/api/disclosure/v1"


@pytest.fixture
def token_for(db):
    """``token_for("supervisor")``: the Authorization header of a fresh token of that user."""

    def make(username: str) -> dict[str, str]:
        user = get_user_model().objects.get(username=username)
        _token, plaintext = APIToken.create_token(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return make
