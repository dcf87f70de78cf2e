"""``make bench``: throughput and latency of the public site, the API and the overdue report.

Each measured page is printed beside two references measured in the same run, by the same
server, on the same machine: a stock Wagtail page (``home.StandardPage``) and a static file
served by WhiteNoise, both of the item page's size. With the page cache on, the public rows are
measured again through Varnish with the shipped VCL (``deploy/varnish/``) in front of the same
server, beside Varnish serving the same static file, and one as large as the largest public
page (each row is compared with the one nearest its size). Machines here are noisy; the ratios
are what carries over from one run to the next.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from disclosure.models import CatalogItemPage, PriceListPage, PublicationPage
from disclosure.page_cache import HEADER
from disclosure.services.price_import import import_price_list, read_price_file

from ... import varnish
from ...demo_prices import BENCH_LIST_TITLE, service_table
from ...demo_scale import PRICE_ROWS
from ...models import StandardPage

HOST = "localhost"
ITEM = "药品价格"
SEARCH_WORD = "价格"
#: The public query of the benchmark's price list: by name, and by pinyin initials (血常规).
PRICE_NAME, PRICE_INITIALS = "血常规", "xcg"
REFERENCE_SLUG = "bench-reference"
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "bytes": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), summary.bytes))
end
"""


@dataclass
class Target:
    name: str
    path: str
    logged_in: bool = False
    # "stock" or "static" for the two references; "static-large" for a static file as large as
    # the largest public page, which rows through Varnish are also compared with.
    reference: str = ""


@dataclass
class Result:
    target: Target
    cached: bool
    rps: float
    p50_ms: float
    p95_ms: float
    queries: int
    single_ms: float
    size: int
    cache_header: str = ""
    notes: list[str] = field(default_factory=list)
    varnish: bool = False  # measured through Varnish


class Command(BaseCommand):
    help = (
        "Benchmark the disclosure site under gunicorn with wrk, beside a stock Wagtail page and "
        "a WhiteNoise static file, with the page cache off and on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=("small", "commission"), default=None)
        parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--markdown", type=Path, default=None, help="write the tables here")
        parser.add_argument("--json", type=Path, default=None, help="write the raw results here")
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated words: measure only the rows whose names hold one of them "
            "(the two references are always measured)",
        )
        parser.add_argument(
            "--cache",
            choices=("both", "off", "on"),
            default="both",
            help="the page cache: off, on or both",
        )

    # Preparation -------------------------------------------------------------------------------

    def handle(self, *args, **options):
        if not Path("/usr/bin/wrk").exists():
            raise CommandError("wrk is not installed (Debian: apt-get install wrk).")
        if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
            raise CommandError("The benchmark needs REDIS_URL: the workers share the page cache.")
        self.options = options
        scale = options["scale"] or ("commission" if connection.vendor == "postgresql" else "small")
        self.stdout.write(f"Loading the demo at scale {scale!r} (idempotent)…")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", scale=scale, stdout=self.stdout)
        call_command("collectstatic", verbosity=0, interactive=False)
        self.admin = get_user_model().objects.get(username="admin")
        targets = self._targets()
        if options["only"]:
            words = [word.strip() for word in options["only"].split(",") if word.strip()]
            targets = [t for t in targets if t.reference or any(w in t.name for w in words)]
        self.session = self._session_cookie()
        self.import_seconds = self._time_price_import()

        results: list[Result] = []
        for cached in {"both": (False, True), "off": (False,), "on": (True,)}[options["cache"]]:
            results += self._measure(targets, cached=cached)
        tables = self._tables(results, scale)
        self.stdout.write(tables)
        if options["markdown"]:
            options["markdown"].write_text(tables, encoding="utf-8")
        if options["json"]:
            options["json"].write_text(
                json.dumps([self._as_dict(r) for r in results], ensure_ascii=False, indent=2),
                encoding="utf-8",
            )

    def _targets(self) -> list[Target]:
        site = Site.objects.get(is_default_site=True)
        item = CatalogItemPage.objects.descendant_of(site.root_page).get(title=ITEM)
        publication = (
            PublicationPage.objects.child_of(item).live().order_by("-publication_date").first()
        )
        index = item.get_parent().get_parent()
        report = reverse("disclosure_admin:overdue_report")
        targets = [
            Target("disclosure index", index.relative_url(site)),
            Target("item page", item.relative_url(site)),
            Target("publication page", publication.relative_url(site)),
            Target(f"search '{SEARCH_WORD}'", f"/search/?q={SEARCH_WORD}"),
            Target("API items list", "/api/disclosure/v1/items/"),
            Target("API publications list", "/api/disclosure/v1/publications/"),
            Target("overdue report (admin)", report, logged_in=True),
            Target("overdue report XLSX", f"{report}?export=xlsx", logged_in=True),
        ]
        prices = self._price_list()
        if prices is not None:
            # The public query of a list of a city hospital's size (load_demo --scale).
            url = prices.relative_url(site)
            targets += [
                Target(f"price list, {PRICE_ROWS:,} rows", url),
                Target(f"price query by name '{PRICE_NAME}'", f"{url}?q={PRICE_NAME}"),
                Target(f"price query by pinyin '{PRICE_INITIALS}'", f"{url}?q={PRICE_INITIALS}"),
            ]
        size = len(self._client().get(item.relative_url(site), HTTP_HOST=HOST).content)
        stock, static = self._stock_page(site, size), self._static_file(size)
        targets.append(Target("stock Wagtail page", stock, reference="stock"))
        targets.append(Target("WhiteNoise static file", static, reference="static"))
        # Varnish serves bytes: a row much larger than the static file is compared with a file
        # of its own size too (written before the server starts, which indexes its files).
        client = self._client()
        largest = max(
            len(client.get(iri_to_uri(t.path), HTTP_HOST=HOST).content)
            for t in targets
            if not t.logged_in and not t.reference
        )
        if largest > 2 * size:
            targets.append(
                Target(
                    f"WhiteNoise static file, {largest / 1024:.0f} KB",
                    self._static_file(largest, name="reference-large.html"),
                    reference="static-large",
                )
            )
        for target in targets:
            target.path = iri_to_uri(target.path)
        return targets

    @staticmethod
    def _price_list() -> PriceListPage | None:
        return PriceListPage.objects.live().filter(title=BENCH_LIST_TITLE).first()

    def _time_price_import(self) -> float | None:
        """Seconds of one import of the benchmark list's rows as a user's file: a CSV read,
        every row checked, the rows written and the draft revision saved. Rolled back."""
        page = self._price_list()
        if page is None:
            return None
        table = service_table(PRICE_ROWS, grades=False)
        text = io.StringIO()
        csv.writer(text).writerows(table)
        with transaction.atomic():
            start = time.perf_counter()
            rows = read_price_file(io.BytesIO(text.getvalue().encode()), filename="bench.csv")
            import_price_list(
                page=page,
                user=page.owner,
                table=rows,
                effective_date=timezone.localdate(),
                basis="bench",
                source_name="bench.csv",
            )
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
        self.stdout.write(f"Import of {len(table) - 1:,} service rows (CSV): {seconds:.1f} s")
        return seconds

    def _stock_page(self, site: Site, size: int) -> str:
        """A StandardPage whose HTML is as long as the item page's."""
        home = site.root_page.specific
        page = StandardPage.objects.child_of(home).filter(slug=REFERENCE_SLUG).first()
        if page is None:
            page = home.add_child(
                instance=StandardPage(title="基准参照页面", slug=REFERENCE_SLUG, body="")
            )
        paragraph = "<p>本页面是基准测试的参照页面，内容长度与目录事项页面相当。</p>"
        for _ in range(3):  # the padding converges in a step or two
            shown = len(self._client().get(page.relative_url(site), HTTP_HOST=HOST).content)
            missing = size - shown
            if abs(missing) < len(paragraph.encode()):
                break
            count = max(0, len(page.body.encode()) + missing) // len(paragraph.encode())
            page.body = paragraph * count
            page.save_revision().publish()
        return page.relative_url(site)

    def _static_file(self, size: int, *, name: str = "reference.html") -> str:
        folder = Path(settings.STATIC_ROOT) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"<!DOCTYPE html>" + b"x" * (size - 15))
        return f"{settings.STATIC_URL}bench/{name}"

    def _client(self, *, logged_in: bool = False) -> Client:
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        if logged_in:
            client.force_login(self.admin)
        return client

    def _session_cookie(self) -> str:
        client = self._client(logged_in=True)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    # Measurement -------------------------------------------------------------------------------

    def _in_process(self, target: Target, *, cached: bool) -> tuple[int, float, str]:
        """Queries of a warmed request, and the median time of five, in this process."""
        client = self._client(logged_in=target.logged_in)
        seconds = 300 if cached else 0
        with override_settings(DISCLOSURE_PAGE_CACHE_SECONDS=seconds):
            response = client.get(target.path, HTTP_HOST=HOST)
            if response.status_code != 200:
                raise CommandError(f"{target.name}: {target.path} answered {response.status_code}")
            queries = []
            with connection.execute_wrapper(
                lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
            ):
                response = client.get(target.path, HTTP_HOST=HOST)
            times = []
            for _ in range(5):
                start = time.perf_counter()
                client.get(target.path, HTTP_HOST=HOST)
                times.append(time.perf_counter() - start)
        return len(queries), statistics.median(times) * 1000, response.get(HEADER, "")

    def _server(
        self, port: int, *, cached: bool, varnish_ports: varnish.Ports | None
    ) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
            "PAGE_CACHE_SECONDS": "300" if cached else "0",
            # The answers it may keep are marked for it, and changes ban them.
            "VARNISH_URL": varnish_ports.purge_url if varnish_ports else "",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            f"--workers={self.options['workers']}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=300",
        ]
        server = subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter
        for _ in range(100):
            try:
                self._fetch(port, "/static/bench/reference.html")
                return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise CommandError("gunicorn did not start")

    def _headers(self, target: Target) -> dict[str, str]:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if target.logged_in:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={self.session}"
        return headers

    def _fetch(self, port: int, path: str, headers: dict | None = None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers=headers or {"Host": HOST, "X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - loopback
            return response.status, response.read(), dict(response.headers)

    def _wrk(self, port: int, target: Target, seconds: int) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(REPORT_LUA)
        command = [
            "/usr/bin/wrk",
            "--threads=2",
            f"--connections={self.options['connections']}",
            f"--duration={seconds}s",
            "--timeout=30s",
            f"--script={script.name}",
        ]
        for name, value in self._headers(target).items():
            command += ["--header", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}{target.path}")
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
        Path(script.name).unlink()
        return json.loads(output.strip().splitlines()[-1])

    def _measure(self, targets: list[Target], *, cached: bool) -> list[Result]:
        from django.core.cache import cache

        cache.clear()
        port = varnish.free_port()
        # Varnish in front of the cached run's server: the public rows again, through it.
        varnish_ports = varnish.Ports.free() if cached and varnish.installed() else None
        label = "on" if cached else "off"
        self.stdout.write(f"Page cache {label}: gunicorn on port {port}")
        server = self._server(port, cached=cached, varnish_ports=varnish_ports)
        try:
            results = [self._row(port, target, cached=cached) for target in targets]
            if varnish_ports is not None:
                self.stdout.write(f"Through Varnish on port {varnish_ports.front}, in front of it")
                public = [t for t in targets if not t.logged_in and t.reference != "stock"]
                with varnish.running(port, varnish_ports, memory="256m"):
                    results += [
                        self._row(varnish_ports.front, target, cached=cached, through_varnish=True)
                        for target in public
                    ]
            elif cached:
                self.stdout.write("Varnish is not installed: no rows through it (make bench).")
        finally:
            server.terminate()
            server.wait(timeout=30)
        return results

    def _row(
        self, port: int, target: Target, *, cached: bool, through_varnish: bool = False
    ) -> Result:
        status, body, _headers = self._fetch(port, target.path, self._headers(target))
        if status != 200:
            raise CommandError(f"{target.name} answered {status} on port {port}")
        if through_varnish:  # measured in this process already
            queries, single_ms = 0, 0.0
        else:
            queries, single_ms, _header = self._in_process(target, cached=cached)
        self._wrk(port, target, 2)  # warm-up: connections, caches, lazy imports
        self._fetch(port, target.path, self._headers(target))  # after the warm-up's queue
        run = self._wrk(port, target, self.options["duration"])
        seconds = run["duration_us"] / 1e6
        # Also waits for the requests wrk left queued, before the next row starts.
        after = self._fetch(port, target.path, self._headers(target))[2]
        result = Result(
            target=target,
            cached=cached,
            rps=run["requests"] / seconds,
            p50_ms=run["p50_us"] / 1000,
            p95_ms=run["p95_us"] / 1000,
            queries=queries,
            single_ms=single_ms,
            size=len(body),
            cache_header=after.get("X-Cache" if through_varnish else HEADER, ""),
            varnish=through_varnish,
        )
        if run["errors"] or run["non2xx"]:
            result.notes.append(f"{run['errors']} errors, {run['non2xx']} non-2xx")
        via = "Varnish: " if through_varnish else ""
        self.stdout.write(
            f"  {via}{target.name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
            f"p95 {result.p95_ms:.1f} ms, {queries} queries"
        )
        return result

    # Report ------------------------------------------------------------------------------------

    @staticmethod
    def _as_dict(result: Result) -> dict:
        return {
            "name": result.target.name,
            "path": result.target.path,
            "page_cache": result.cached,
            "through_varnish": result.varnish,
            "rps": round(result.rps, 1),
            "p50_ms": round(result.p50_ms, 2),
            "p95_ms": round(result.p95_ms, 2),
            "queries": result.queries,
            "single_request_ms": round(result.single_ms, 2),
            "bytes": result.size,
            "cache": result.cache_header,
            "notes": result.notes,
        }

    def _machine(self, scale: str) -> list[str]:
        from disclosure.models import InstitutionSettings

        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        memory = next(
            (
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            "0",
        )
        with connection.cursor() as cursor:
            postgres = connection.vendor == "postgresql"
            cursor.execute("select version()" if postgres else "select sqlite_version()")
            database = cursor.fetchone()[0].split(" on ")[0]
        wrk = subprocess.run(["/usr/bin/wrk", "--version"], capture_output=True, text=True)
        return [
            f"- Date: {timezone.localtime():%Y-%m-%d %H:%M %Z}",
            f"- Machine: {cpu}, {os.cpu_count()} cores, {int(memory) // 1024**2} GiB",
            f"- Database: {database} ({connection.vendor}); cache: Redis",
            f"- Data (`load_demo --scale {scale}`): "
            f"{InstitutionSettings.objects.count()} institutions, "
            f"{CatalogItemPage.objects.count()} catalog items, "
            f"{PublicationPage.objects.count()} publications, {Page.objects.count()} pages",
            f"- Python {platform.python_version()}, Django {django.get_version()}, "
            f"Wagtail {wagtail.__version__}; gunicorn ({self.options['workers']} sync workers); "
            f"{(wrk.stdout or wrk.stderr).splitlines()[0]} with 2 threads, "
            f"{self.options['connections']} connections, {self.options['duration']} s per row "
            "after a 2 s warm-up",
            *(
                [
                    f"- Price list import: {PRICE_ROWS:,} service rows from a CSV file in "
                    f"{self.import_seconds:.1f} s (one run, rolled back)"
                ]
                if self.import_seconds is not None
                else []
            ),
        ]

    def _tables(self, results: list[Result], scale: str) -> str:
        lines = [*self._machine(scale), ""]
        for cached in (False, True):
            rows = [r for r in results if r.cached == cached and not r.varnish]
            if not rows:
                continue
            stock = next(r for r in rows if r.target.reference == "stock")
            static = next(r for r in rows if r.target.reference == "static")
            lines += [
                f"### Page cache {'on' if cached else 'off'}",
                "",
                "| | req/s | p50 ms | p95 ms | ÷ stock page | ÷ static file | queries | "
                "1 request ms | bytes | cache |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            ]
            for r in rows:
                lines.append(
                    f"| {r.target.name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
                    f"{r.rps / stock.rps:.2f} | {r.rps / static.rps:.2f} | {r.queries} | "
                    f"{r.single_ms:.1f} | {r.size} | {r.cache_header or '—'}"
                    f"{' ' + '; '.join(r.notes) if r.notes else ''} |"
                )
            lines.append("")
        lines += self._varnish_table(results)
        return "\n".join(lines)

    @staticmethod
    def _varnish_table(results: list[Result]) -> list[str]:
        rows = [r for r in results if r.varnish]
        if not rows:
            return []
        statics = [r for r in rows if r.target.reference.startswith("static")]
        whitenoise = next(
            r for r in results if r.cached and not r.varnish and r.target.reference == "static"
        )

        def reference_of(row: Result) -> Result:
            """The static file through Varnish nearest in size to ``row``."""
            return min(statics, key=lambda static: abs(math.log(row.size / static.size)))

        lines = [
            "### Through Varnish (the shipped VCL, in front of the server with the page cache on)",
            "",
            "| | req/s | p50 ms | p95 ms | ÷ Varnish static file nearest in size | "
            "÷ WhiteNoise static file | bytes | X-Cache |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in rows:
            name = (
                f"Varnish: static file, {r.size / 1024:.0f} KB" if r in statics else r.target.name
            )
            reference = reference_of(r)
            lines.append(
                f"| {name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
                f"{r.rps / reference.rps:.2f} ({reference.size / 1024:.0f} KB) | "
                f"{r.rps / whitenoise.rps:.2f} | {r.size} | "
                f"{r.cache_header or '—'}{' ' + '; '.join(r.notes) if r.notes else ''} |"
            )
        lines.append("")
        return lines
