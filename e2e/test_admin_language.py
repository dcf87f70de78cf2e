"""The admin speaks Chinese to every role: each screen a role reaches in its daily work is read
as the person sees it (the page's visible text, placeholders and labels for assistive
technology), and a run of two or more Latin words that is not a name, a code or an address is a
failure, listed with the screen it was on."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect

# Words that stay Latin in a Chinese admin: product and format names, codes, units.
ALLOWED = {
    "wagtail",
    "disclosure",
    "pdf",
    "xlsx",
    "csv",
    "api",
    "url",
    "id",
    "svg",
    "html",
    "openapi",
    "json",
    "excel",
    "wps",
    "email",
    "e-mail",
    "ok",
    "demo",
    "annual-report",
}
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \t]+[A-Za-z][A-Za-z'’]*)+")
# Addresses, logins, file names and codes are not words: e-mail, URL, a-b-c, x.y, CamelCase ids.
NOT_WORDS = re.compile(r"\S*[@/\\.:_=]\S*|\S*-\S*|\S*\d\S*")

READ_SCREEN = """() => {
  const texts = [document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    const style = window.getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    for (const name of ['placeholder', 'aria-label', 'title']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  return texts.join('\\n');
}"""


def latin_runs(text: str) -> set[str]:
    """Runs of two or more Latin words in ``text``, leaving out addresses, codes and the
    allowed names."""
    found = set()
    for line in text.splitlines():
        cleaned = NOT_WORDS.sub(" ", line)
        for run in LATIN_RUN.findall(cleaned):
            words = [w for w in run.split() if w.lower() not in ALLOWED]
            if len(words) >= 2:
                found.add(" ".join(words))
    return found


def test_the_detector_finds_english_and_spares_names_codes_and_addresses():
    assert latin_runs("This 页面 is awaiting review") == {"is awaiting review"}
    assert latin_runs("下载 PDF 或 XLSX；hospital-office-editor；xxgk@hospital.example") == set()
    assert latin_runs("Password") == set()  # one word alone is caught by its screen's label
    assert latin_runs("1-4 of 4 页面") == set()


def _api(base_url: str, path: str) -> dict:
    with urllib.request.urlopen(base_url + "/api/disclosure/v1/" + path) as response:  # noqa: S310
        return json.load(response)


@pytest.fixture(scope="module")
def ids(base_url) -> dict[str, int]:
    report = _api(base_url, "publications/?kind=annual_report&limit=1")["items"][0]
    general = _api(base_url, "publications/?kind=general&limit=1")["items"][0]
    return {
        "report": report["id"],
        "report_item": report["item"]["id"],
        "publication": general["id"],
        "item": general["item"]["id"],
    }


def screens(role: str, ids: dict[str, int]) -> list[str]:
    common = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{ids['item']}/",
        f"/admin/pages/{ids['report_item']}/",
        f"/admin/pages/{ids['report']}/history/",
        "/admin/pages/search/?q=%E4%BB%B7%E6%A0%BC",
        "/admin/reports/disclosure-overdue/",
        "/admin/account/",
        *(
            f"/admin/disclosure/guide/{role}/"
            for role in ("editor", "head", "office", "supervisor")
        ),
    ]
    by_role = {
        "hospital-office-editor": [
            f"/admin/pages/{ids['report']}/edit/",
            f"/admin/pages/{ids['report_item']}/add_subpage/",
            "/admin/disclosure/annual-reports/generate/",
            f"/admin/disclosure/annual-reports/{ids['report']}/regenerate/",
        ],
        "hospital-office-head": [f"/admin/pages/{ids['report']}/edit/"],
        "office": [
            f"/admin/pages/{ids['publication']}/edit/",
            "/admin/disclosure/annual-reports/statistics/",
            "/admin/disclosure/requests/",
            "/admin/disclosure/consultations/",
            "/admin/reports/disclosure-audit/",
            f"/admin/disclosure/annual-reports/{ids['report']}/cell/?row=%E4%B8%80&column=total",
        ],
        "supervisor": [
            "/admin/disclosure/annual-reports/statistics/",
            "/admin/disclosure/requests/",
            "/admin/reports/disclosure-audit/",
        ],
    }
    return common + by_role[role]


@pytest.mark.parametrize(
    "role", ["hospital-office-editor", "hospital-office-head", "office", "supervisor"]
)
def test_every_screen_a_role_reaches_speaks_chinese(as_user, ids, role):
    page: Page = as_user(role)
    english: dict[str, set[str]] = {}
    for screen in screens(role, ids):
        page.goto(screen)
        page.wait_for_load_state("networkidle")
        runs = latin_runs(page.evaluate(READ_SCREEN))
        if runs:
            english[urllib.parse.unquote(screen)] = runs
    assert english == {}


def test_the_login_page_speaks_chinese(page: Page):
    page.goto("/admin/login/")
    assert latin_runs(page.evaluate(READ_SCREEN)) == set()
    assert "密码" in page.locator("label[for=id_password]").inner_text()


def test_the_screens_of_a_page_in_review_speak_chinese(as_user, ids):
    """The editor sends this year's report for review; the head meets the lock banner, the
    status panel and the workflow's history, the editor the page locked by the workflow."""
    editor = as_user("hospital-office-editor")
    editor.goto(f"/admin/pages/{ids['report_item']}/")
    drafts = editor.locator("main a[href*='/edit/']", has_text="年信息公开工作年度报告")
    draft_url = next(
        href
        for href in drafts.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        if f"/{ids['report']}/" not in href
    )
    editor.goto(draft_url)
    editor.get_by_role("button", name="更多动作").click()
    editor.locator("button[name=action-submit]").click()
    expect(editor.locator(".messages")).to_contain_text("提交进行审核")
    english: dict[str, set[str]] = {}
    head = as_user("hospital-office-head")
    for who, page, screen in (
        ("head", head, "/admin/"),
        ("head", head, draft_url),
        ("head", head, draft_url.replace("/edit/", "/workflow_history/")),
        ("editor", editor, draft_url),
        ("editor", editor, draft_url.replace("/edit/", "/history/")),
    ):
        page.goto(screen)
        page.wait_for_load_state("networkidle")
        if runs := latin_runs(page.evaluate(READ_SCREEN)):
            english[f"{who} {screen}"] = runs
    assert english == {}
    editor.goto(draft_url)  # locked by the review: the banner names the step it is in
    expect(editor.locator("body")).to_contain_text("正处于")
