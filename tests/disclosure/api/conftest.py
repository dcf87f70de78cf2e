"""Shared values of the API tests (the ``token_for`` fixture is in tests/conftest.py)."""

API = "/api/disclosure/v1"
