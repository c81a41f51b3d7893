"""`xlscore serve` with real HTTP requests: good requests, each bad request (a 4xx in Chinese, the service
still up), two requests at once, a large workbook; the CLI around it; `xlscore wps install|remove|path`."""

from __future__ import annotations

import http.client
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, run_cli
from wps_book import object_model, request_workbook
from xlscore import service

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def server():
    srv = service.make_server(0, token=TOKEN, max_bytes=8 * 1024 * 1024)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def changji():
    return request_workbook(object_model(SAMPLES / "changji_2024.xlsx"))


def call(srv, method, path, body=None, headers=None, raw=False):
    port = srv.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = {"Content-Type": "application/json", service.TOKEN_HEADER: TOKEN}
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not None}
    data = body if raw or body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    conn.request(method, path, body=data, headers=h)
    res = conn.getresponse()
    text = res.read().decode("utf-8")
    conn.close()
    return res.status, dict(res.getheaders()), (json.loads(text) if text else None)


def up(srv) -> bool:
    status, _, doc = call(srv, "GET", "/v1/health")
    return status == 200 and doc == {"api": 1, "xlscore": doc["xlscore"], "status": "ok"}


def _key(sheet, f):
    return (sheet, f["cell"], f["code"], f["severity"], f["message"], json.dumps(f["expected"]), json.dumps(f["found"]))


# --------------------------------------------------------------------------- good requests

def test_recalc_answers_with_the_findings_of_xlscore_check(server, changji):
    status, headers, doc = call(server, "POST", "/v1/recalc", {"api": 1, "workbook": changji})
    assert status == 200, doc
    assert headers["Content-Type"].startswith("application/json")
    assert doc["api"] == 1 and doc["mode"] == "recalc"
    cli = json.loads(run_cli("check", str(SAMPLES / "changji_2024.xlsx"), "--format", "json").stdout)
    expected = sorted(_key(s["name"], f) for s in cli["files"][0]["sheets"] for f in s["findings"])
    got = sorted(_key(s["name"], f) for s in doc["sheets"] for f in s["findings"])
    assert got == expected and len(got) > 10
    assert [s["total"] for s in doc["sheets"]] == [s["total"] for s in cli["files"][0]["sheets"]]
    assert doc["counts"]["error"] == sum(1 for k in expected if k[3] == "error")
    assert doc["message"].startswith("已重新计算并写回：")
    kinds = {op["op"] for op in doc["ops"]}
    assert {"value", "fill", "comment", "number_format", "report", "state"} <= kinds
    assert doc["writes"] and all(len(w) == 5 for w in doc["writes"])
    report = next(op for op in doc["ops"] if op["op"] == "report")["layout"]
    assert report["rows"][0] == ["xlscore 检查报告"] and report["links"]


def test_check_touches_only_the_report_sheet(server, changji):
    status, _, doc = call(server, "POST", "/v1/check", {"api": 1, "workbook": changji})
    assert status == 200
    assert [op["op"] for op in doc["ops"]] == ["report"]
    assert doc["writes"] == [] and doc["message"].startswith("检查完成")


def test_check_of_a_recalculated_workbook_reports_what_the_clerk_typed(server, changji, tmp_path):
    """The posted workbook carries the xlscore_state sheet of an earlier run: the service restores first."""
    out = tmp_path / "r.xlsx"
    run_cli("recalc", str(SAMPLES / "changji_2024.xlsx"), "-o", str(out))
    again = request_workbook(object_model(out))
    assert "xlscore_state" in [s["name"] for s in again["sheets"]]
    _, _, first = call(server, "POST", "/v1/check", {"api": 1, "workbook": changji})
    status, _, second = call(server, "POST", "/v1/check", {"api": 1, "workbook": again})
    assert status == 200
    assert sorted(_key(s["name"], f) for s in second["sheets"] for f in s["findings"]) == \
        sorted(_key(s["name"], f) for s in first["sheets"] for f in s["findings"])
    assert second["ops"][0] == {"op": "drop_sheet", "name": "xlscore"}      # the old report goes


def test_english_answers_with_lang_en(server, changji):
    status, _, doc = call(server, "POST", "/v1/check", {"api": 1, "lang": "en", "workbook": changji})
    assert status == 200 and doc["message"].startswith("Checked (no cell changed)")
    status, _, doc = call(server, "POST", "/v1/check", {"api": 1, "lang": "en"})
    assert status == 400 and doc["error"]["message"].startswith("malformed request")


def test_protected_sheets_the_ops_change_are_named(server, changji):
    wb = json.loads(json.dumps(changji))
    wb["sheets"][0]["protected"] = True
    wb["sheets"][1]["protected"] = True
    _, _, doc = call(server, "POST", "/v1/recalc", {"api": 1, "workbook": wb})
    touched = {op.get("sheet") for op in doc["ops"]}
    assert sorted(doc["unprotect"]) == sorted(s for s in (wb["sheets"][0]["name"], wb["sheets"][1]["name"]) if s in touched)
    assert doc["unprotect"]


def test_template_is_written_into_the_folder_never_over_a_file(server, tmp_path):
    status, _, a = call(server, "POST", "/v1/template", {"api": 1, "folder": str(tmp_path)})
    assert status == 200 and Path(a["path"]).parent == tmp_path and Path(a["path"]).exists()
    status, _, b = call(server, "POST", "/v1/template", {"api": 1, "folder": str(tmp_path)})
    assert b["path"] != a["path"] and b["path"].endswith("(2).xlsx")
    status, _, c = call(server, "POST", "/v1/template", {"api": 1, "folder": str(tmp_path / "missing")})
    assert status == 400 and "文件夹不存在" in c["error"]["message"]


# --------------------------------------------------------------------------- bad requests: a 4xx, still up

BAD = [
    ("not-json", lambda wb: dict(body=b"{not json", raw=True), 400, "不是有效的 JSON"),
    ("not-utf8", lambda wb: dict(body=b"\xff\xfe{}", raw=True), 400, "不是有效的 JSON"),
    ("array", lambda wb: dict(body=[1, 2]), 400, "请求格式不对"),
    ("no-api", lambda wb: dict(body={"workbook": wb}), 400, "接口版本不符"),
    ("api-2", lambda wb: dict(body={"api": 2, "workbook": wb}), 400, "接口版本不符"),
    ("no-sheets", lambda wb: dict(body={"api": 1, "workbook": {"name": "x"}}), 400, "请求格式不对（workbook.sheets）"),
    ("bad-cell", lambda wb: dict(body={"api": 1, "workbook": {"sheets": [{"name": "a", "cells": [{"r": 0, "c": 1}]}]}}),
     400, "workbook.sheets[0].cells[0].r"),
    ("bad-value", lambda wb: dict(body={"api": 1, "workbook": {"sheets": [{"name": "a", "cells": [{"r": 1, "c": 1, "v": {}}]}]}}),
     400, "cells[0].v"),
    ("no-form", lambda wb: dict(body={"api": 1, "workbook": {"name": "通讯录.xlsx", "sheets": [
        {"name": "a", "cells": [{"r": 1, "c": 1, "v": "通讯录"}]}]}}), 422, "没有找到可识别的绩效表"),
    ("no-token", lambda wb: dict(body={"api": 1, "workbook": wb}, headers={service.TOKEN_HEADER: None}), 401, "缺少访问令牌"),
    ("bad-token", lambda wb: dict(body={"api": 1, "workbook": wb}, headers={service.TOKEN_HEADER: "guess"}), 401, "访问令牌不符"),
    ("bad-origin", lambda wb: dict(body={"api": 1, "workbook": wb}, headers={"Origin": "https://evil.example"}), 403,
     "拒绝来自 https://evil.example 的请求"),
    ("bad-host", lambda wb: dict(body={"api": 1, "workbook": wb}, headers={"Host": "evil.example"}), 403, "Host 应为 127.0.0.1"),
    ("bad-profile", lambda wb: dict(body={"api": 1, "workbook": wb, "profile": "nowhere"}), 400, "未知的规则配置"),
]


@pytest.mark.parametrize("name,make,status,text", BAD, ids=[b[0] for b in BAD])
def test_each_bad_request_gets_its_4xx_in_chinese_and_the_service_stays_up(server, changji, name, make, status, text):
    kw = make(changji)
    got, headers, doc = call(server, "POST", "/v1/check", kw.pop("body"), **kw)
    assert got == status, doc
    assert doc["api"] == 1 and text in doc["error"]["message"], doc
    assert "Traceback" not in doc["error"]["message"]
    assert "Access-Control-Allow-Origin" not in headers
    assert up(server)


def test_too_large_is_413_before_the_body_is_read(server):
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/v1/recalc")
    conn.putheader("Content-Type", "application/json")
    conn.putheader(service.TOKEN_HEADER, TOKEN)
    conn.putheader("Content-Length", str(server.max_bytes + 1))
    conn.endheaders()
    conn.send(b'{"api": 1, "workbook": ')      # the rest never comes
    res = conn.getresponse()
    doc = json.loads(res.read())
    conn.close()
    assert res.status == 413 and "请求太大" in doc["error"]["message"] and "--max-mb" in doc["error"]["message"]
    assert up(server)


def test_paths_and_methods(server):
    status, _, doc = call(server, "GET", "/v1/nothing")
    assert status == 404 and "没有这个地址" in doc["error"]["message"]
    status, _, doc = call(server, "GET", "/v1/recalc")
    assert status == 405 and "不接受 GET" in doc["error"]["message"]
    status, _, doc = call(server, "PUT", "/v1/recalc", {"api": 1})
    assert status == 405
    status, _, doc = call(server, "POST", "/v1/recalc", b"{}", raw=True, headers={"Content-Length": None,
                                                                                "Transfer-Encoding": "chunked"})
    assert status == 411 and "Content-Length" in doc["error"]["message"]
    assert up(server)


def test_cors_only_for_the_add_in_origin(server, changji):
    status, headers, _ = call(server, "OPTIONS", "/v1/recalc", headers={
        "Origin": "null", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-xlscore-token"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "null"
    assert service.TOKEN_HEADER in headers["Access-Control-Allow-Headers"]
    status, headers, _ = call(server, "OPTIONS", "/v1/recalc", headers={"Origin": "http://example.com"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = call(server, "POST", "/v1/check", {"api": 1, "workbook": changji}, headers={"Origin": "null"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "null"
    status, headers, _ = call(server, "POST", "/v1/check", {"api": 1, "workbook": changji})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers       # no browser, no CORS


# --------------------------------------------------------------------------- load

def test_two_requests_at_once(server, changji):
    results = [None, None]

    def go(i):
        results[i] = call(server, "POST", "/v1/recalc" if i else "/v1/check", {"api": 1, "workbook": changji})

    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    (s0, _, check), (s1, _, recalc) = results
    assert s0 == s1 == 200
    assert check["mode"] == "check" and recalc["mode"] == "recalc"
    assert [s["findings"] for s in check["sheets"]] == [s["findings"] for s in recalc["sheets"]]


def test_a_large_workbook(server, changji):
    """The 13 real forms plus a 3 000 × 20 data sheet (60 000 cells, ~2.5 MB of JSON)."""
    wb = json.loads(json.dumps(changji))
    wb["sheets"].append({"name": "明细", "cells": [{"r": r, "c": c, "v": float(r * c) if c % 2 else f"项目{r}-{c}"}
                                                 for r in range(1, 3001) for c in range(1, 21)]})
    body = {"api": 1, "workbook": wb}
    assert len(json.dumps(body)) > 2_000_000
    t = time.monotonic()
    status, _, doc = call(server, "POST", "/v1/check", body)
    assert status == 200, doc
    assert time.monotonic() - t < 90
    assert any(s["name"] == "明细" and s["kind"] == "unknown" for s in doc["sheets"])
    assert up(server)


# --------------------------------------------------------------------------- the CLI

def _env(tmp_path, **more):
    env = dict(os.environ, XLSCORE_CONFIG_DIR=str(tmp_path / "config"), PYTHONPATH=str(ROOT), XLSCORE_LANG="zh")
    env.update({k: str(v) for k, v in more.items()})
    return env


def test_the_token_is_made_once_readable_by_the_user_only(tmp_path):
    env = _env(tmp_path)
    a = subprocess.run([sys.executable, "-m", "xlscore", "serve", "--show-token"], env=env, capture_output=True, text=True)
    b = subprocess.run([sys.executable, "-m", "xlscore", "serve", "--show-token"], env=env, capture_output=True, text=True)
    assert a.returncode == 0 and a.stdout == b.stdout and len(a.stdout.strip()) >= 40
    p = tmp_path / "config" / "token"
    if os.name == "posix":
        assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_xlscore_serve_answers_a_real_request_and_a_busy_port_is_one_line(tmp_path, changji):
    env = _env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "xlscore", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "xlscore 服务已启动：http://127.0.0.1:" in line
        port = int(line.split("127.0.0.1:")[1].split("（")[0])
        token = (tmp_path / "config" / "token").read_text().strip()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", "/v1/check", json.dumps({"api": 1, "workbook": changji}),
                     {"Content-Type": "application/json", service.TOKEN_HEADER: token})
        res = conn.getresponse()
        doc = json.loads(res.read())
        assert res.status == 200 and doc["counts"]["error"] > 0
        busy = subprocess.run([sys.executable, "-m", "xlscore", "serve", "--port", str(port)], env=env,
                              capture_output=True, text=True, timeout=60)
        assert busy.returncode == 2 and f"端口 {port} 已被占用" in busy.stderr and "Traceback" not in busy.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0


# --------------------------------------------------------------------------- xlscore wps install|remove|path

OTHER = '<jsplugin name="OtherAddin" type="wps" url="OtherAddin_1.0.0" version="1.0.0" enable="enable_dev"/>'


def test_wps_install_dry_run_writes_nothing(tmp_path):
    env = _env(tmp_path, XLSCORE_WPS_JSADDONS=tmp_path / "jsaddons", XLSCORE_AUTOSTART_DIR=tmp_path / "autostart")
    proc = run_cli("wps", "install", "--dry-run", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "复制加载项" in proc.stdout and "publish.xml" in proc.stdout and 'name="xlscore"' in proc.stdout
    assert "xlscore serve" in proc.stdout
    assert not (tmp_path / "jsaddons").exists() and not (tmp_path / "config").exists()


def test_wps_install_and_remove_keep_other_add_ins(tmp_path):
    ja = tmp_path / "jsaddons"
    ja.mkdir()
    (ja / "publish.xml").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>{OTHER}</jsplugins>',
                                    encoding="utf-8")
    (ja / "OtherAddin_1.0.0").mkdir()
    (ja / "xlscore_0.0.1").mkdir()                       # an older xlscore
    env = _env(tmp_path, XLSCORE_WPS_JSADDONS=ja, XLSCORE_AUTOSTART_DIR=tmp_path / "autostart")
    proc = run_cli("wps", "install", "--port", "48001", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "已安装 WPS 加载项" in proc.stdout
    assert "没有找到 WPS 的用户文件夹" not in proc.stderr
    from xml.etree import ElementTree as ET
    root = ET.parse(ja / "publish.xml").getroot()
    entries = {e.get("name"): e.attrib for e in root}
    assert entries["OtherAddin"]["url"] == "OtherAddin_1.0.0"
    from xlscore import __version__
    assert entries["xlscore"] == {"name": "xlscore", "type": "et", "url": f"xlscore_{__version__}",
                                  "version": __version__, "enable": "enable_dev", "install": "null", "customDomain": ""}
    folder = ja / f"xlscore_{__version__}"
    assert (folder / "ribbon.xml").exists() and (folder / "js" / "wps_adapter.js").exists()
    assert not (ja / "xlscore_0.0.1").exists()
    cfg = (folder / "js" / "config.js").read_text(encoding="utf-8")
    token = (tmp_path / "config" / "token").read_text().strip()
    assert f'"token": "{token}"' in cfg and '"port": 48001' in cfg
    desktop = (tmp_path / "autostart" / "xlscore-serve.desktop").read_text(encoding="utf-8")
    assert "-m xlscore serve" in desktop and "Exec=" in desktop

    again = run_cli("wps", "install", "--port", "48001", env=env)          # twice: one entry
    assert again.returncode == 0
    assert [e.get("name") for e in ET.parse(ja / "publish.xml").getroot()] == ["OtherAddin", "xlscore"]

    proc = run_cli("wps", "remove", env=env)
    assert proc.returncode == 0 and "已移除" in proc.stdout
    assert [e.get("name") for e in ET.parse(ja / "publish.xml").getroot()] == ["OtherAddin"]
    assert not folder.exists() and (ja / "OtherAddin_1.0.0").exists()
    assert not (tmp_path / "autostart" / "xlscore-serve.desktop").exists()
    proc = run_cli("wps", "remove", env=env)
    assert proc.returncode == 0 and "没有找到" in proc.stdout


def test_wps_install_says_when_wps_seems_missing(tmp_path):
    ja = tmp_path / "home" / "Kingsoft" / "wps" / "jsaddons"
    proc = run_cli("wps", "install", "--no-autostart", env=_env(tmp_path, XLSCORE_WPS_JSADDONS=ja))
    assert proc.returncode == 0 and (ja / "publish.xml").exists()
    assert "没有找到 WPS 的用户文件夹" in proc.stderr and "Traceback" not in proc.stderr


def test_wps_install_leaves_a_broken_publish_xml_alone(tmp_path):
    ja = tmp_path / "jsaddons"
    ja.mkdir()
    (ja / "publish.xml").write_text("<jsplugins><jsplugin", encoding="utf-8")
    env = _env(tmp_path, XLSCORE_WPS_JSADDONS=ja, XLSCORE_AUTOSTART_DIR=tmp_path / "autostart")
    proc = run_cli("wps", "install", env=env)
    assert proc.returncode == 2 and "不是有效的 publish.xml" in proc.stderr and "Traceback" not in proc.stderr
    assert (ja / "publish.xml").read_text(encoding="utf-8") == "<jsplugins><jsplugin"
    assert not list(ja.glob("xlscore_*"))


def test_wps_path_and_the_platform_folders(monkeypatch, tmp_path):
    from xlscore import wps
    proc = run_cli("wps", "path", env=_env(tmp_path, XLSCORE_WPS_JSADDONS=tmp_path / "ja"))
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0 and lines[0].endswith(str(Path("xlscore") / "wps" / "addin"))
    assert lines[1].endswith(str(tmp_path / "ja")) and 'name="xlscore"' in lines[2]
    monkeypatch.delenv("XLSCORE_WPS_JSADDONS", raising=False)
    monkeypatch.setenv("APPDATA", r"C:\Users\u\AppData\Roaming")
    monkeypatch.setenv("HOME", "/home/u")
    assert str(wps.jsaddons_dir("win32")) == str(Path(r"C:\Users\u\AppData\Roaming") / "kingsoft" / "wps" / "jsaddons")
    assert str(wps.jsaddons_dir("linux")) == "/home/u/.local/share/Kingsoft/wps/jsaddons"
    assert str(wps.jsaddons_dir("darwin")).endswith("Library/Containers/com.kingsoft.wpsoffice.mac/Data/.kingsoft/wps/jsaddons")
    assert "Startup" in str(wps.autostart_path("win32")) and wps.autostart_text("win32").startswith("@echo off")


def test_the_shipped_add_in_is_package_data():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"wps/addin/*"' in text and '"wps/addin/js/*"' in text and '"wps/addin/images/*"' in text
