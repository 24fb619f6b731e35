"""The preview's web server and file watcher.

Serves the built preview under the site's sub-path (``/xxgk/``), adds a small script to
each HTML page that reloads it when a save has been applied, and, while the last build
failed, answers every page with the list of problems (``文件:行: 字段: 原因``) instead, which
turns back into the page once the files are fixed. Files are watched with watchdog's native
observer (inotify on Linux): nothing is polled while nobody edits.
"""

from __future__ import annotations

import errno
import html
import http.server
import ipaddress
import json
import logging
import mimetypes
import posixpath
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from mkdocs_preview.early import EarlyPages, EarlyServer
from mkdocs_preview.engine import Preview

log = logging.getLogger("mkdocs.plugins.gongkai")

#: folders whose files never change the site
IGNORED_PARTS = {"__pycache__", ".git", ".venv", "site"}
RELOAD_PATH = "/__gongkai__/wait"
#: how long a browser's wait for the next change is held open
HOLD_SECONDS = 25.0

#: a file, not an inline script: every page's Content-Security-Policy allows only its own
#: inline scripts by hash (gongkai.deploy.csp), so an injected inline one would be blocked
RELOAD_JS_PATH = "/__gongkai__/reload.js"
RELOAD_SCRIPT = '<script src="' + RELOAD_JS_PATH + '?g=%d" data-wait="%s"></script>'
RELOAD_JS = b"""(function(){var s=document.currentScript,g=+new URL(s.src).searchParams.get("g"),u=s.dataset.wait;
function w(){fetch(u+"?since="+g,{cache:"no-store"})
.then(function(r){return r.json()}).then(function(d){if(d.generation!==g){location.reload()}else{w()}})
.catch(function(){setTimeout(w,2000)})}w()})();"""


#: a browser tab closed (or reloaded) while its page was being sent: nothing to report
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class PreviewServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], GONE):
            return
        super().handle_error(request, client_address)


def bind(host: str, port: int, handler, tries: int = 100) -> PreviewServer:
    """The server on ``port``, or the next free one (an editor's other preview may hold it)."""
    last = None
    for candidate in range(port, port + tries):
        try:
            server = PreviewServer((host, candidate), handler)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            last = exc
            continue
        if candidate != port:
            print(f"端口 {port} 已被占用，改用端口 {candidate}", flush=True)
        return server
    raise SystemExit(f"端口 {port}–{port + tries - 1} 都已被占用（{last}）：请用 make serve PORT=其他端口")


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port: ``[::1]:8000`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def own_host(header: str | None, bound: str) -> bool:
    """Whether a request's ``Host`` names this machine. A page of another site that had its
    domain's DNS turned to 127.0.0.1 (DNS rebinding) sends its own name here and is refused;
    an address written as digits cannot be rebound, so one is accepted where the server listens
    on every address (``--host 0.0.0.0``, to preview from a phone)."""
    if header is None:  # not a browser: nothing to rebind
        return True
    name = host_name(header).rstrip(".")
    bound = host_name(bound)
    if name in ("localhost", bound):
        return True
    address, listening = _ip(name), _ip(bound)
    if address is None:
        return False
    return address.is_loopback or (listening is not None and listening.is_unspecified)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class State:
    """What the handler threads read: the preview and a condition to wait for its next change."""

    def __init__(self, preview: Preview, mount: str, host: str = "127.0.0.1"):
        self.preview = preview
        self.mount = mount
        self.host = host  # the address the server listens on
        self.changed = threading.Condition()
        #: while the first build runs (in the early process): pages rendered on request
        self.early: EarlyPages | None = None
        self.in_flight = 0  # the early process's requests being answered
        self.answering = threading.Condition()

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def wait(self, since: int) -> int:
        deadline = time.monotonic() + HOLD_SECONDS
        with self.changed:
            while self.preview.generation == since:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
        return self.preview.generation


def problem_page(problems, generation: int, saved: frozenset[str] | set[str] = frozenset()) -> bytes:
    """Why the preview did not update. ``saved``: the files of the save that failed, whose
    problems come first; the errors and the saved files' warnings are listed (the heading
    counts exactly those), other files' warnings are folded away under their own count."""
    def key(p) -> tuple:
        return (p.file not in saved, p.severity != "error", p.file, p.line or 0)

    shown = sorted((p for p in problems if p.severity == "error" or p.file in saved), key=key)
    folded = sorted((p for p in problems if p.severity != "error" and p.file not in saved), key=key)
    errors = sum(1 for p in shown if p.severity == "error")
    warnings = len(shown) - errors
    count = f"{errors} 个错误" + (f"、{warnings} 个警告" if warnings else "")

    def rows(found) -> str:
        return "\n".join(f"<li><code>{html.escape(p.format())}</code></li>" for p in found)

    others = (f"""<details><summary>其他文件的 {len(folded)} 个警告（不影响预览）</summary>
<ol>
{rows(folded)}
</ol>
</details>""" if folded else "")
    body = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览未能更新：{count}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}
h1{{color:#b00020;font-size:1.4rem}}li{{margin:.4rem 0}}code{{white-space:pre-wrap}}</style></head>
<body><h1>预览未能更新：发现 {count}</h1>
<p>请按下列提示修改文件并保存，本页会自动刷新。每条问题的格式为“文件:行: 字段: 原因”；刚保存的文件排在前面。</p>
<ol>
{rows(shown)}
</ol>
{others}
{RELOAD_SCRIPT % (generation, RELOAD_PATH)}
</body></html>"""
    return body.encode("utf-8")


def make_handler(state: State):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the browser's requests are not news
            pass

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):  # noqa: N802
            self.do_GET()

        def do_GET(self):  # noqa: N802
            if state.early is None:
                return self._get()
            with state.answering:  # the early process ends only once every answer is sent
                state.in_flight += 1
            try:
                return self._get()
            finally:
                with state.answering:
                    state.in_flight -= 1
                    state.answering.notify_all()

        def _get(self):
            if not own_host(self.headers.get("Host"), state.host):
                # 421: this server does not serve that name; the page that asked gets nothing
                return self._send(421, "此预览只接受本机地址的访问，请用 make serve 显示的预览地址打开".encode(),
                                  "text/plain; charset=utf-8")
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path == RELOAD_JS_PATH:
                return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8")
            if path.startswith(RELOAD_PATH):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                try:
                    since = int(query.get("since", ["0"])[0])
                except ValueError:
                    since = 0
                body = json.dumps({"generation": state.wait(since)}).encode()
                return self._send(200, body, "application/json")
            mount = state.mount
            if not path.startswith(mount):
                if path in ("/", mount.rstrip("/")):
                    self.send_response(302)
                    self.send_header("Location", mount)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                return self._send(404, "不在预览网站之内".encode(), "text/plain; charset=utf-8")
            preview = state.preview
            generation = preview.generation
            relative = posixpath.normpath(path[len(mount):]).lstrip("/")
            if relative.startswith("..") or "\x00" in relative:
                return self._send(404, b"", "text/plain")
            if state.early is not None:
                return self._early(state.early, relative + ("/" if path.endswith("/") else ""), generation)
            target = Path(preview.site_dir, relative) if relative not in ("", ".") else Path(preview.site_dir)
            if target.is_dir():
                target = target / "index.html"
            is_page = target.suffix == ".html" or not target.suffix
            if preview.problems and any(p.severity == "error" for p in preview.problems) and is_page:
                return self._send(500, problem_page(preview.problems, generation, preview.saved),
                                  "text/html; charset=utf-8")
            status = 200
            if not target.is_file():
                status, target = 404, Path(preview.site_dir, "404.html")
                if not target.is_file():
                    return self._send(404, "页面不存在".encode(), "text/plain; charset=utf-8")
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body = _with_reload(body, generation)
                kind = "text/html; charset=utf-8"
            elif kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            self._send(status, body, kind)

        def _early(self, early: EarlyPages, relative: str, generation: int) -> None:
            answer = early.answer(relative, state.preview.site_dir)
            if answer is None:
                return self._send(404, "页面不存在".encode(), "text/plain; charset=utf-8")
            body = answer.body
            if answer.status == 200 and answer.kind.startswith("text/html"):
                body = _with_reload(body, generation)
            if answer.rendered:
                print(f"已先行生成 {relative or '首页'}（完整生成仍在进行）", flush=True)
            self._send(answer.status, body, answer.kind)
            early.start_rest()

    return Handler


def _with_reload(body: bytes, generation: int) -> bytes:
    script = (RELOAD_SCRIPT % (generation, RELOAD_PATH)).encode()
    at = body.rfind(b"</body>")
    return body[:at] + script + body[at:] if at >= 0 else body + script


class Watcher(FileSystemEventHandler):
    """Collects changed paths (relative to the root) for the build thread."""

    def __init__(self, root: Path, config_name: str = "mkdocs.yml"):
        self.root = root
        #: the one file at the top that matters; the others there (a log the editor's tools
        #: write, say) would otherwise rebuild the preview over and over
        self.config_name = config_name
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.event = threading.Event()

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write") or (
                event.is_directory and event.event_type == "modified"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            try:
                rel = Path(path).resolve().relative_to(self.root).as_posix()
            except ValueError:
                continue
            parts = rel.split("/")
            if len(parts) == 1 and rel != self.config_name:
                continue
            if any(p in IGNORED_PARTS or p.startswith(".") for p in parts) or rel.endswith((".pyc", "~")):
                continue
            with self.lock:
                self.pending.add(rel)
            self.event.set()

    def take(self, quiet: float = 0.05) -> set[str]:
        """Wait for a change, then for a short calm (editors save in several writes)."""
        self.event.wait()
        while True:
            self.event.clear()
            if not self.event.wait(quiet):
                break
        with self.lock:
            batch, self.pending = self.pending, set()
        return batch


def watch(root: Path, handler: Watcher) -> BaseObserver:  # Observer is a per-platform alias
    observer = Observer()  # inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows
    for name in ("content", "catalog", "overrides", "hooks"):
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # mkdocs.yml
    observer.start()
    return observer


def run(make_preview, host: str, port: int, mount: str, on_ready=None) -> None:
    """Build, serve and rebuild on every save until interrupted. ``make_preview(port)``: the
    ``Preview`` for the port actually bound (its pages' canonical links name it)."""
    # Pages are served by other threads while an update runs in this one: hand them the
    # interpreter every millisecond rather than every five, so the saved page shows at once
    sys.setswitchinterval(0.001)
    server = bind(host, port, None)
    actual = server.server_address[1]
    preview = make_preview(actual)
    state = State(preview, mount, host)
    preview.on_visible = state.notify  # the saved page reloads before the rest is done
    server.RequestHandlerClass = make_handler(state)
    print("正在生成预览……", flush=True)
    start = time.perf_counter()
    early = None
    loaded = preview.load(parallel=True)
    if loaded is not None and EarlyServer.available():
        # before any thread starts here: a second process serves single pages meanwhile
        early = EarlyServer.start(loaded, lambda pages: _serve_early(server, state, pages, host, actual, mount))
    report = preview.full(parallel=True)  # before any thread starts: the build may fork
    preview.settle()
    print(f"预览已生成（{time.perf_counter() - start:.1f} 秒）" if report.ok
          else "预览未能生成，浏览器中显示问题列表", flush=True)
    watcher = Watcher(preview.root, preview.config_file.name)
    observer = watch(preview.root, watcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if early is not None:
        # the saves the early process saw while the build ran: applied by the first update
        handed = early.stop()
        if handed:
            with watcher.lock:
                watcher.pending |= handed
            watcher.event.set()
    print(f"预览地址：http://{host}:{actual}{mount}（修改并保存文件后页面自动刷新；按 Ctrl+C 结束）", flush=True)
    if on_ready is not None:
        on_ready(actual)
    try:
        while True:
            if preview.busy():  # the background files: look now and then until they are written
                if not watcher.event.wait(0.5):
                    preview.poll()
                    continue
            changed = watcher.take()
            report = preview.update(changed, interrupt=watcher.event.is_set)
            state.notify()
            shown = "、".join(sorted(changed)[:3]) + ("等" if len(changed) > 3 else "")
            if report.interrupted:
                print(f"已显示（{shown}）：所改条目的页面 {report.first:.2f} 秒；又有保存，其余页面随之更新", flush=True)
            elif report.ok:
                print(f"已更新（{shown}）：{report.seconds:.2f} 秒，重新生成 {report.pages} 个页面"
                      + (f"（所改条目的页面 {report.first:.2f} 秒时已更新）" if report.first is not None else "")
                      + ("（完整重建）" if report.full else ""), flush=True)
            else:
                print(f"更新失败（{shown}）：{len(preview.problems)} 个问题，浏览器中显示问题列表", flush=True)
    except KeyboardInterrupt:
        print("预览已停止", flush=True)
    finally:
        observer.stop()
        server.shutdown()
        preview.close()


def _serve_early(server: PreviewServer, state: State, pages: EarlyPages, host: str, port: int,
                 mount: str) -> Callable[[], set[str]]:
    """In the early process: serve ``pages`` and watch the files; returns what stops both and
    answers the saves seen meanwhile."""
    state.early = pages
    server.RequestHandlerClass = make_handler(state)
    watcher = Watcher(state.preview.root, state.preview.config_file.name)
    observer = watch(state.preview.root, watcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"先行预览：http://{host}:{port}{mount}（完整网站仍在生成；条目页面打开时即时生成）", flush=True)

    def stop() -> set[str]:
        server.shutdown()
        state.preview.generation = -1  # every open page reloads, from the main process now
        state.notify()
        with state.answering:  # the answers under way, the waits just released among them
            state.answering.wait_for(lambda: state.in_flight == 0, timeout=HOLD_SECONDS)
        observer.stop()
        observer.join()
        with watcher.lock:
            return set(watcher.pending)
    return stop
