"""The admin speaks Chinese with Wagtail's own words: the plugin's catalog (one "django" domain
for every app) never translates a string of Wagtail's differently."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
import wagtail
from django.utils import translation

import disclosure

PLUGIN_CATALOG = Path(disclosure.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
WAGTAIL = Path(wagtail.__file__).parent


def _translated(path: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.translated() and not e.msgctxt}


def test_the_plugin_never_translates_a_wagtail_string_its_own_way():
    wagtails: dict[str, set[str]] = {}
    for catalog in WAGTAIL.rglob("locale/zh_Hans/LC_MESSAGES/django.po"):
        for msgid, msgstr in _translated(catalog).items():
            wagtails.setdefault(msgid, set()).add(msgstr)
    clashes = {
        msgid: (msgstr, wagtails[msgid])
        for msgid, msgstr in _translated(PLUGIN_CATALOG).items()
        if msgid in wagtails and msgstr not in wagtails[msgid]
    }
    assert clashes == {}


@pytest.mark.parametrize(
    ("msgid", "wagtails"),
    [("Published", "已发布"), ("Approve", "批准"), ("status", "状态"), ("description", "描述")],
)
def test_wagtails_words_read_as_wagtail_translates_them(msgid, wagtails):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == wagtails
        assert translation.pgettext("disclosure", msgid) != msgid  # the plugin's own, apart
