"""``xlscore serve``: the local service behind the WPS add-in (JSON over HTTP on 127.0.0.1, api 1).

The WPS add-in cannot run Python, so it posts the active workbook as JSON and replays the answer's
*ops* through the WPS object model. The answer is computed by :func:`xlscore.jobs.run_store` — the
same restore, ``Engine.analyse``, write plan and report the xlwings button and the CLI use — over
:class:`xlscore.write.json_store.JsonStore`.

Why the standard library's ``http.server.ThreadingHTTPServer``: one user on one machine sends a few
requests a minute from one add-in; there is no routing, streaming or TLS to do (loopback only), and a
framework (Flask, FastAPI + an ASGI server) would be a dependency to install on office machines that
often have no internet. Two requests at once each get a thread; the analysis is CPU-bound and short.

Guards, each a 4xx with a one-line Chinese message (English with ``--lang en``) and the service
keeps running: only 127.0.0.1 is bound and the Host header must name it (DNS rebinding); a browser
``Origin`` must be one allowed (the WPS add-in's, see docs/wps.md) — CORS headers are sent only to
it; the per-install token (``X-Xlscore-Token``) must match; the body must be JSON of api 1 and at
most ``max_bytes`` long.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .version import DEFAULT_PORT, __version__  # the port lives there: cli names it without importing this module

API = 1
DEFAULT_MAX_BYTES = 64 * 1024 * 1024          # a 13-sheet workbook is ~1 MB of JSON; 64 MB is ~1 million cells
TOKEN_HEADER = "X-Xlscore-Token"
# The origin a WPS JS add-in loaded from the jsaddons folder (file:) sends: browsers send "null" for a
# page without a host. Add others with --allow-origin (an online add-in's http origin); see docs/wps.md.
WPS_ORIGINS = ("null",)

MESSAGES = {
    "not-json": ("请求不是有效的 JSON：{reason}", "the request is not valid JSON: {reason}"),
    "bad-request": ("请求格式不对（{reason}）；请使用与 xlscore {version} 配套的 WPS 加载项（xlscore wps install）",
                    "malformed request ({reason}); use the WPS add-in that comes with xlscore {version} (xlscore wps install)"),
    "bad-api": ("接口版本不符：加载项使用 api {got}，本服务是 api {api}；请运行 xlscore wps install 更新加载项",
                "API mismatch: the add-in speaks api {got}, this service api {api}; run xlscore wps install to update it"),
    "too-large": ("请求太大（{size} 字节，上限 {limit} 字节）；可用 xlscore serve --max-mb N 提高上限",
                  "request too large ({size} bytes, limit {limit}); raise it with xlscore serve --max-mb N"),
    "no-length": ("请求缺少 Content-Length", "the request has no Content-Length"),
    "no-token": ("缺少访问令牌：请用 xlscore wps install 安装加载项（令牌随加载项写入）",
                 "no access token: install the add-in with xlscore wps install (it writes the token)"),
    "bad-token": ("访问令牌不符：请运行 xlscore wps install 重新安装加载项，或用 xlscore serve --show-token 查看令牌",
                  "wrong access token: run xlscore wps install again, or see it with xlscore serve --show-token"),
    "bad-origin": ("拒绝来自 {origin} 的请求：只接受 WPS 加载项（如确为 WPS 加载项，请用 xlscore serve --allow-origin {origin} 启动）",
                   "refused a request from {origin}: only the WPS add-in is accepted (if it is the add-in, start xlscore serve --allow-origin {origin})"),
    "bad-host": ("拒绝请求：Host 应为 127.0.0.1:{port}，收到 {host}", "refused: the Host must be 127.0.0.1:{port}, got {host}"),
    "not-found": ("没有这个地址：{path}（可用：GET /v1/health，POST /v1/recalc、/v1/check、/v1/template）",
                  "no such path: {path} (GET /v1/health, POST /v1/recalc, /v1/check, /v1/template)"),
    "method": ("{path} 不接受 {method} 请求", "{path} does not take {method}"),
    "bad-folder": ("文件夹不存在：{path}", "no such folder: {path}"),
    "internal": ("xlscore 内部错误：{reason}（服务仍在运行）", "xlscore internal error: {reason} (the service is still running)"),
    "serving": ("xlscore 服务已启动：http://127.0.0.1:{port}（WPS 加载项使用；按 Ctrl+C 停止）",
                "xlscore service running at http://127.0.0.1:{port} (for the WPS add-in; Ctrl+C stops it)"),
    "write-failed": ("无法在 {path} 写入模板（{reason}）", "cannot write the template in {path} ({reason})"),
    "template-made": ("已生成模板：{path}", "template written: {path}"),
}


def msg(key: str, lang: str, **kw) -> str:
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**kw)


# --------------------------------------------------------------------------- the per-install token

def config_dir() -> Path:
    """Where xlscore keeps per-user settings: %APPDATA%\\xlscore, ~/Library/Application Support/xlscore,
    $XDG_CONFIG_HOME/xlscore (~/.config/xlscore); XLSCORE_CONFIG_DIR overrides."""
    if os.environ.get("XLSCORE_CONFIG_DIR"):
        return Path(os.environ["XLSCORE_CONFIG_DIR"])
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "xlscore"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "xlscore"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "xlscore"


def token_path() -> Path:
    return config_dir() / "token"


def get_token(create: bool = True) -> str | None:
    """The per-install token; created (random, 256 bits, readable by the user only) on first use."""
    p = token_path()
    try:
        tok = p.read_text(encoding="ascii").strip()
        if tok:
            return tok
    except OSError:
        pass
    if not create:
        return None
    p.parent.mkdir(parents=True, exist_ok=True)
    tok = secrets.token_urlsafe(32)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(tok + "\n")
    return tok


# --------------------------------------------------------------------------- what a request does

class Refused(Exception):
    def __init__(self, status: int, code: str, **kw):
        super().__init__(code)
        self.status, self.code, self.kw = status, code, kw


def analyse(doc: dict, *, write: bool, lang: str) -> dict:
    """A recalc/check request document → the answer document (api 1). Raises Refused or XlscoreError."""
    from . import jobs
    from .engine import OWN_SHEETS, Engine
    from .write import flow
    from .write.json_store import BadWorkbook, JsonStore, grids, parse_workbook

    try:
        book = parse_workbook(doc.get("workbook"))
    except BadWorkbook as exc:
        raise Refused(400, "bad-request", reason=exc.reason, version=__version__) from None
    lang = doc.get("lang") if doc.get("lang") in ("zh", "en") else lang
    profile = doc.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise Refused(400, "bad-request", reason="profile", version=__version__)
    engine = Engine(profile, lang=lang)
    protected = {s.name for s in book.sheets if s.protected}
    store = JsonStore(book)
    results, plan = jobs.run_store(engine, store, lambda: grids(book, skip=OWN_SHEETS), write=write, name=book.name)
    counts = {s: sum(1 for r in results for f in r.findings if f.severity == s) for s in ("error", "warning", "info")}
    return {
        "api": API, "xlscore": __version__, "mode": "recalc" if write else "check", "lang": lang,
        "message": flow.summary_message(results, write, lang),
        "counts": counts,
        "sheets": [r.to_json() for r in results],
        "writes": [list(w) for w in plan.writes] if write else [],
        "unprotect": store.protected_sheets_touched(protected),
        "ops": store.ops,
    }


def template(doc: dict, *, lang: str) -> dict:
    from .write.flow import new_template
    folder = doc.get("folder") or ""
    name = doc.get("name") or "self-assessment"
    if not isinstance(folder, str) or not isinstance(name, str):
        raise Refused(400, "bad-request", reason="folder/name", version=__version__)
    base = Path(folder) if folder else Path.home()
    if not base.is_dir():
        raise Refused(400, "bad-folder", path=folder)
    try:
        path = new_template(base, name)
    except OSError as exc:
        raise Refused(400, "write-failed", path=str(base), reason=exc.strerror or str(exc)) from None
    return {"api": API, "xlscore": __version__, "path": str(path), "message": msg("template-made", lang, path=path)}


# --------------------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    server_version = f"xlscore/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = 120                            # a client that stops sending mid-request does not hold a thread forever

    # ---- plumbing
    def log_message(self, fmt, *args):          # quiet unless asked: a clerk's console stays readable
        if self.server.verbose:
            sys.stderr.write("xlscore serve: " + (fmt % args) + "\n")

    request_lang: str | None = None          # the request's "lang", once its body is read

    @property
    def lang(self) -> str:
        return self.request_lang or self.server.lang

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        return origin is None or origin in self.server.origins

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if self.close_connection:
            self.send_header("Connection", "close")
        origin = self.headers.get("Origin")
        if origin is not None and origin in self.server.origins:       # CORS only for the add-in's origin
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, **kw) -> None:
        self._send(status, {"api": API, "error": {"code": code, "message": msg(code, self.lang, **kw)}})

    def _guard(self) -> None:
        host = (self.headers.get("Host") or "").lower()
        port = self.server.server_address[1]
        if host not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            raise Refused(403, "bad-host", port=port, host=host or "（空）")
        if not self._origin_ok():
            raise Refused(403, "bad-origin", origin=self.headers.get("Origin"))

    def _body(self) -> dict:
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self.close_connection = True
            raise Refused(411, "no-length")
        size = int(length)
        if size > self.server.max_bytes:
            self.close_connection = True      # the unread body is not drained
            raise Refused(413, "too-large", size=size, limit=self.server.max_bytes)
        raw = self.rfile.read(size)
        self.body_read = True
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Refused(400, "not-json", reason=str(exc)[:120]) from None
        if not isinstance(doc, dict):
            raise Refused(400, "bad-request", reason="not an object", version=__version__)
        if doc.get("api") != API:
            raise Refused(400, "bad-api", got=doc.get("api"), api=API)
        return doc

    def _token(self) -> None:
        got = self.headers.get(TOKEN_HEADER)
        if not got:
            raise Refused(401, "no-token")
        if not hmac.compare_digest(got.encode("utf-8", "replace"), self.server.token.encode("utf-8")):
            raise Refused(401, "bad-token")

    def _handle(self, fn) -> None:
        self.request_lang = None
        self.body_read = False
        try:
            fn()
        except Refused as r:
            if self.command != "GET" and not self.body_read:
                self.close_connection = True      # an unread body must not be taken for the next request
            self._error(r.status, r.code, **r.kw)
        except Exception as exc:  # noqa: BLE001 - one bad workbook must not stop the service
            from .errors import InputError, XlscoreError
            if isinstance(exc, XlscoreError):
                status = 422 if isinstance(exc, InputError) else 400
                self._send(status, {"api": API, "error": {"code": exc.msg_id, "message": exc.render(self.lang)}})
            else:
                if os.environ.get("XLSCORE_DEBUG"):
                    import traceback
                    traceback.print_exc()
                self._error(500, "internal", reason=f"{type(exc).__name__}: {exc}"[:200])

    # ---- verbs
    def do_OPTIONS(self):                  # the CORS preflight of the add-in's POST
        def go():
            self._guard()
            self.send_response(204)
            origin = self.headers.get("Origin")
            if origin is not None:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", f"Content-Type, {TOKEN_HEADER}")
            self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()
        self._handle(go)

    def do_GET(self):
        def go():
            self._guard()
            if self.path.split("?")[0] == "/v1/health":
                self._send(200, {"api": API, "xlscore": __version__, "status": "ok"})
            elif self.path.split("?")[0] in ("/v1/recalc", "/v1/check", "/v1/template"):
                raise Refused(405, "method", path=self.path, method="GET")
            else:
                raise Refused(404, "not-found", path=self.path[:100])
        self._handle(go)

    def do_POST(self):
        def go():
            self._guard()
            path = self.path.split("?")[0]
            if path not in ("/v1/recalc", "/v1/check", "/v1/template"):
                self.close_connection = True     # the body is not read
                if path == "/v1/health":
                    raise Refused(405, "method", path=path, method="POST")
                raise Refused(404, "not-found", path=self.path[:100])
            self._token()
            doc = self._body()
            if doc.get("lang") in ("zh", "en"):
                self.request_lang = doc["lang"]
            lang = self.lang
            if path == "/v1/template":
                self._send(200, template(doc, lang=lang))
                return
            with self.server.slots:
                self._send(200, analyse(doc, write=path == "/v1/recalc", lang=lang))
        self._handle(go)

    def _refuse_method(self):
        def go():
            self._guard()
            self.close_connection = True
            raise Refused(405, "method", path=self.path[:100], method=self.command)
        self._handle(go)

    do_PUT = do_DELETE = do_PATCH = _refuse_method


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False if sys.platform.startswith("win") else True

    def __init__(self, port: int, token: str, *, lang: str = "zh", origins=WPS_ORIGINS,
                 max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 2, verbose: bool = False):
        super().__init__(("127.0.0.1", port), Handler)
        self.token, self.lang, self.max_bytes, self.verbose = token, lang, max_bytes, verbose
        self.origins = tuple(origins)
        self.slots = threading.BoundedSemaphore(max(1, workers))   # analyses at once (2 cores)


def make_server(port: int = DEFAULT_PORT, token: str | None = None, **kw) -> Server:
    return Server(port, token or get_token(), **kw)


def serve(port: int = DEFAULT_PORT, *, lang: str = "zh", origins=WPS_ORIGINS, max_bytes: int = DEFAULT_MAX_BYTES,
          verbose: bool = False) -> int:
    from .errors import UsageError
    try:
        server = make_server(port, lang=lang, origins=origins, max_bytes=max_bytes, verbose=verbose)
    except OSError:
        raise UsageError("serve-port-busy", port=port) from None
    print(msg("serving", lang, port=server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
