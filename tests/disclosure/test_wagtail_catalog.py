"""The catalog that supplies the Wagtail admin strings Wagtail's zh_Hans catalogs lack
(``disclosure.wagtail_zh_hans``): complete for the installed Wagtail, and in use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from disclosure.wagtail_zh_hans import build_catalog


def test_every_string_wagtail_leaves_untranslated_has_a_translation():
    missing = set(build_catalog.collect()) - set(build_catalog.load_translations())
    assert missing == set()  # after a Wagtail upgrade: run build_catalog.py, translate, commit


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("Autosave is paused", "自动保存已暂停"),
        ("Locked by workflow", "已被工作流锁定"),
        ("The page could not be saved due to validation errors.", "存在验证错误，无法保存页面。"),
        ("Your pages and snippets in a workflow", "您在工作流中的页面和片段"),
    ],
)
def test_the_admin_reads_them_in_chinese(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese


def test_the_admin_javascript_reads_its_missing_strings_in_chinese(db, client, login):
    """Wagtail's JavaScript catalog reads LOCALE_PATHS: the site adds JS_LOCALE_DIR to them."""
    login("office")
    catalog = client.get("/admin/jsi18n/").content.decode()
    # The catalog is JavaScript with \uXXXX escapes: read it as JSON strings do.
    assert (
        json.dumps("此菜单中有")[1:-1] in catalog
        and json.dumps("修改已自动保存。")[1:-1] in catalog
    )


def test_every_string_of_wagtails_javascript_it_leaves_untranslated_is_translated():
    import polib
    import wagtail

    from disclosure.wagtail_zh_hans import JS_LOCALE_DIR

    admin = Path(wagtail.__file__).parent / "admin/locale"
    english = polib.pofile(str(admin / "en/LC_MESSAGES/djangojs.po"))
    chinese = polib.pofile(str(admin / "zh_Hans/LC_MESSAGES/djangojs.po"))
    ours = polib.pofile(str(JS_LOCALE_DIR / "zh_Hans/LC_MESSAGES/djangojs.po"))
    translated = {e.msgid for e in chinese if e.translated()} | {e.msgid for e in ours}
    assert {e.msgid for e in english if not e.obsolete} - translated == set()


def test_the_login_page_labels_the_password_in_chinese(db, client):
    page = client.get("/admin/login/").content.decode()
    (label,) = re.findall(r'<label[^>]*for="id_password"[^>]*>(.*?)</label>', page, re.DOTALL)
    assert "密码" in label and "Password" not in label
