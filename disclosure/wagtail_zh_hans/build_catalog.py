"""Build the Simplified Chinese catalog that fills the gaps in Wagtail's own.

Wagtail's zh_Hans catalogs lag behind its English source: several hundred
admin strings of Wagtail 8 (workflow and lock messages, the status side panel,
listings, autosave, content checks, API tokens…) have no zh_Hans entry, or only
an empty or fuzzy one, so hospital editors see them in English. This script
collects exactly those strings and writes them, with the translations kept in
``translations.py``, to ``locale/zh_Hans/LC_MESSAGES/django.po`` beside it,
then compiles the ``.mo`` with ``msgfmt --check``.

The catalog supplies only what Wagtail lacks and never overrides a string
Wagtail translates: a msgid that Wagtail's zh_Hans catalog for the same app
translates is never written here, and a msgid that the plugin's own catalog
(disclosure/locale) also translates must read the same in both (the script
checks it), so the app's place in INSTALLED_APPS does not matter.

After upgrading Wagtail, run the script again: it fails (exit 1) listing every
msgid that still needs a translation in ``translations.py``, and lists the
translations that are no longer needed (Wagtail now translates them, or dropped
them) so that they can be removed.

Run it from the repository root with the project's interpreter:

    .venv/bin/python disclosure/wagtail_zh_hans/build_catalog.py

Only Wagtail's ``django.po`` catalogs are considered (not ``djangojs.po``).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib
import wagtail

HERE = Path(__file__).resolve().parent
PO_PATH = HERE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLUGIN_PO_PATH = HERE.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
WAGTAIL_ROOT = Path(wagtail.__file__).resolve().parent
SOURCE_LANGUAGE = "en"
TARGET_LANGUAGE = "zh_Hans"
FORMAT_FLAGS = ("python-format", "python-brace-format", "no-python-format")

Key = tuple[str | None, str]

PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]"  # %(name)s
    r"|%[sdif]"  # %s
    r"|\{\{\s*[^}]+?\s*\}\}"  # {{ var }}
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}"  # {name}
)
TAG_RE = re.compile(r"</?[A-Za-z][^>]*?/?>")


@dataclass
class Collected:
    """One msgid that Wagtail leaves untranslated in zh_Hans."""

    app: str  # the first Wagtail app that lacks it, e.g. "wagtail/admin"
    msgctxt: str | None
    msgid: str
    msgid_plural: str
    flags: list[str] = field(default_factory=list)
    comment: str = ""
    occurrences: list[tuple[str, str]] = field(default_factory=list)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def wagtail_catalogs() -> Iterator[tuple[Path, Path, Path]]:
    """(app directory, English catalog, zh_Hans catalog) for every Wagtail app."""
    pattern = f"locale/{SOURCE_LANGUAGE}/LC_MESSAGES/django.po"
    for source in sorted(WAGTAIL_ROOT.rglob(pattern)):
        locale_dir = source.parents[2]
        yield locale_dir.parent, source, locale_dir / TARGET_LANGUAGE / "LC_MESSAGES" / "django.po"


def collect() -> dict[Key, Collected]:
    collected: dict[Key, Collected] = {}
    for app_dir, source, target in wagtail_catalogs():
        translated: set[Key] = set()
        if target.exists():
            translated = {
                (e.msgctxt, e.msgid) for e in polib.pofile(str(target)) if is_translated(e)
            }
        prefix = app_dir.relative_to(WAGTAIL_ROOT.parent).as_posix()
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or not entry.msgid or key in translated:
                continue
            item = collected.get(key)
            if item is None:
                item = collected[key] = Collected(
                    app=prefix,
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    flags=[f for f in entry.flags if f in FORMAT_FLAGS],
                    comment=entry.comment,
                )
            for path, line in entry.occurrences:
                occurrence = (f"{prefix}/{path}", line)
                if occurrence not in item.occurrences:
                    item.occurrences.append(occurrence)
    return collected


def load_translations() -> dict[Key, str | list[str]]:
    # Loaded by path so that the script runs without Django or the package on sys.path.
    spec = importlib.util.spec_from_file_location(
        "wagtail_zh_hans_translations", HERE / "translations.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {HERE / 'translations.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TRANSLATIONS


def describe(key: Key) -> str:
    msgctxt, msgid = key
    return f"{msgctxt!r} | {msgid!r}" if msgctxt else repr(msgid)


def placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", "", p) for p in PLACEHOLDER_RE.findall(text))


def tags(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", " ", t) for t in TAG_RE.findall(text))


def edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def check_translation(item: Collected, value: str | list[str]) -> list[str]:
    """Problems msgfmt does not catch: the shape, HTML tags, template variables, edges."""
    if item.msgid_plural:
        if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)):
            return ["a plural msgid needs a list of exactly one string (nplurals=1)"]
        text, sources = value[0], [item.msgid, item.msgid_plural]
    else:
        if not isinstance(value, str):
            return ["a msgid without plural needs a string"]
        text, sources = value, [item.msgid]
    problems = []
    if not text.strip():
        problems.append("empty translation")
    # A plural translation follows the plural msgid (it serves every count).
    reference = sources[-1]
    if tags(text) != tags(reference):
        problems.append(f"HTML tags differ: {tags(reference)} != {tags(text)}")
    if not {"python-format", "python-brace-format"} & set(item.flags):
        # msgfmt --check compares only the flagged formats: compare any other placeholder here.
        expected, found = placeholders(reference), placeholders(text)
        if expected != found:
            problems.append(f"placeholders differ: {expected} != {found}")
    if edges(text) != edges(reference):
        problems.append("leading or trailing whitespace differs from the msgid")
    return problems


def build_po(
    collected: dict[Key, Collected], translations: dict[Key, str | list[str]]
) -> polib.POFile:
    po = polib.POFile(wrapwidth=79)
    po.header = (
        "Simplified Chinese translations of the Wagtail admin strings that Wagtail's own\n"
        "zh_Hans catalogs lack (missing, empty or fuzzy).\n"
        "Generated by disclosure/wagtail_zh_hans/build_catalog.py from translations.py:\n"
        "do not edit by hand."
    )
    po.metadata = {
        "Project-Id-Version": (
            f"wagtail-disclosure (Wagtail {wagtail.__version__} zh_Hans supplement)"
        ),
        "Report-Msgid-Bugs-To": "",
        "Last-Translator": "wagtail-disclosure team",
        "Language-Team": "wagtail-disclosure team",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for key, item in collected.items():
        value = translations[key]
        entry = polib.POEntry(
            msgctxt=item.msgctxt,
            msgid=item.msgid,
            occurrences=item.occurrences,
            flags=list(item.flags),
            comment=item.comment,
        )
        if item.msgid_plural:
            entry.msgid_plural = item.msgid_plural
            entry.msgstr_plural = {0: value[0]}
        else:
            entry.msgstr = value
        po.append(entry)
    return po


def render_po(po: polib.POFile) -> tuple[str, bool]:
    """The catalog's text, and whether it differs from the one on disk.

    An unchanged catalog keeps its PO-Revision-Date, so that a rebuild makes no diff.
    """
    old_text = PO_PATH.read_text(encoding="utf-8") if PO_PATH.exists() else ""
    if old_text:
        po.metadata["PO-Revision-Date"] = polib.pofile(old_text).metadata.get(
            "PO-Revision-Date", ""
        )
        if f"{po}\n" == old_text:
            return old_text, False
    po.metadata["PO-Revision-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    return f"{po}\n", True


def compile_catalog(text: str, changed: bool) -> bool:
    """Check and compile the catalog with msgfmt; write the .po and .mo only if it passes."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        say(
            "msgfmt not found: install GNU gettext (Debian: apt-get install -y gettext)", error=True
        )
        return False
    with tempfile.TemporaryDirectory() as tmp:
        po_file, mo_file = Path(tmp) / PO_PATH.name, Path(tmp) / MO_PATH.name
        po_file.write_text(text, encoding="utf-8")
        # A fixed command on files of our own.
        command = [msgfmt, "--check", "-o", str(mo_file), str(po_file)]
        if subprocess.run(command, check=False).returncode:  # noqa: S603
            say("msgfmt --check failed: nothing written", error=True)
            return False
        PO_PATH.parent.mkdir(parents=True, exist_ok=True)
        if changed:
            PO_PATH.write_text(text, encoding="utf-8")
        shutil.copyfile(mo_file, MO_PATH)
    return True


def say(line: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(line + "\n")


def plugin_translations() -> dict[Key, str]:
    """The plugin's own zh_Hans catalog: the same "django" domain at run time."""
    if not PLUGIN_PO_PATH.exists():
        return {}
    return {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(PLUGIN_PO_PATH))
        if is_translated(e) and not e.msgid_plural
    }


def main() -> int:
    collected = collect()
    translations = load_translations()
    plugin = plugin_translations()

    missing = [key for key in collected if key not in translations]
    unneeded = [key for key in translations if key not in collected]
    invalid = {
        key: problems
        for key, item in collected.items()
        if key in translations and (problems := check_translation(item, translations[key]))
    }
    # Both catalogs serve one domain: the same msgid must read the same in both, or the
    # order of the two apps in INSTALLED_APPS would decide which one the admin shows.
    for key in collected.keys() & translations.keys() & plugin.keys():
        if translations[key] != plugin[key]:
            invalid.setdefault(key, []).append(
                f"the plugin's catalog ({PLUGIN_PO_PATH.relative_to(HERE.parent.parent)}) "
                f"translates it {plugin[key]!r}: use the same words"
            )

    if unneeded:
        say(
            f"{len(unneeded)} translation(s) no longer needed (Wagtail translates or dropped them):"
        )
        for key in unneeded:
            say(f"  {describe(key)}")
    if missing:
        say(f"{len(missing)} msgid(s) have no translation in translations.py:", error=True)
        for key in missing:
            item = collected[key]
            where = ", ".join(f"{p}:{n}" if n else p for p, n in item.occurrences[:2])
            plural = f" (plural: {item.msgid_plural!r})" if item.msgid_plural else ""
            say(f"  {describe(key)}{plural}  [{where}]", error=True)
    if invalid:
        say(f"{len(invalid)} translation(s) are invalid:", error=True)
        for key, problems in invalid.items():
            say(f"  {describe(key)}: {'; '.join(problems)}", error=True)
    if missing or invalid:
        return 1

    text, changed = render_po(build_po(collected, translations))
    if not compile_catalog(text, changed):
        return 1
    state = "wrote" if changed else "unchanged:"
    say(f"{len(collected)} entries: {state} {PO_PATH}, compiled {MO_PATH.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
