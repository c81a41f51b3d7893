"""``xlscore wps install|remove|path``: the WPS JS add-in (加载项) in the folder WPS loads it from.

WPS loads a local ("offline") JS add-in from its per-user ``jsaddons`` folder: the add-in's files in
``jsaddons/<name>_<version>/`` and an entry ``<jsplugin name=… type="et" url="<name>_<version>"
version=… enable="enable_dev" install="null" customDomain=""/>`` in ``jsaddons/publish.xml`` — the
layout and the entry Kingsoft's own toolkit writes (``wpsjs build``, src/lib/build.js, and the folder
per platform in src/lib/debug_publish.js; see docs/wps.md). ``install`` copies the add-in there with
a ``config.js`` holding the service's port and this install's token, merges the entry into
publish.xml (other add-ins' entries are kept), and adds a start-up entry that runs ``xlscore serve``
at log-in where the platform has one (Windows Startup folder, XDG autostart on Linux). ``remove``
undoes all three. ``path`` prints the folders for administrators. Nothing needs the internet.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from ..version import __version__
from ..errors import UsageError

NAME = "xlscore"
ADDIN_TYPE = "et"                      # WPS 表格 (et); "wps" is 文字, "wpp" 演示
ADDIN = Path(__file__).with_name("addin")
FOLDER = f"{NAME}_{__version__}"


def jsaddons_dir(platform: str | None = None) -> Path:
    """The per-user folder WPS reads publish.xml and offline add-ins from (XLSCORE_WPS_JSADDONS overrides)."""
    if os.environ.get("XLSCORE_WPS_JSADDONS"):
        return Path(os.environ["XLSCORE_WPS_JSADDONS"])
    platform = platform or sys.platform
    if platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "kingsoft" / "wps" / "jsaddons"
    if platform == "darwin":
        return (Path.home() / "Library" / "Containers" / "com.kingsoft.wpsoffice.mac" / "Data" / ".kingsoft" / "wps"
                / "jsaddons")
    return Path.home() / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def autostart_path(platform: str | None = None) -> Path | None:
    """Where a log-in entry that starts ``xlscore serve`` goes, or None where there is none we write."""
    if os.environ.get("XLSCORE_AUTOSTART_DIR"):
        d = Path(os.environ["XLSCORE_AUTOSTART_DIR"])
        return d / ("xlscore-serve.cmd" if (platform or sys.platform).startswith("win") else "xlscore-serve.desktop")
    platform = platform or sys.platform
    if platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "xlscore-serve.cmd"
    if platform == "darwin":
        return None
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "autostart" / "xlscore-serve.desktop"


def entry_attrs() -> dict[str, str]:
    return {"name": NAME, "type": ADDIN_TYPE, "url": FOLDER, "version": __version__, "enable": "enable_dev",
            "install": "null", "customDomain": ""}


def entry_xml() -> str:
    return "<jsplugin " + " ".join(f'{k}="{v}"' for k, v in entry_attrs().items()) + "/>"


def config_js(port: int, token: str, lang: str) -> str:
    cfg = {"port": port, "token": token, "lang": lang, "version": __version__}
    return ("// written by `xlscore wps install`: where the xlscore service listens and this install's token\n"
            f"var XLSCORE_CONFIG = {json.dumps(cfg, ensure_ascii=False)};\n"
            "if (typeof module === \"object\" && module.exports) { module.exports = XLSCORE_CONFIG; }\n")


def serve_command() -> list[str]:
    python = sys.executable
    if sys.platform.startswith("win"):            # no console window at log-in
        pyw = Path(python).with_name("pythonw.exe")
        if pyw.exists():
            python = str(pyw)
    return [python, "-m", NAME, "serve"]


def autostart_text(platform: str | None = None) -> str:
    cmd = serve_command()
    if (platform or sys.platform).startswith("win"):
        return ("@echo off\r\nrem xlscore: start the service the WPS add-in calls\r\n"
                f'start "" "{cmd[0]}" ' + " ".join(cmd[1:]) + "\r\n")
    exec_line = " ".join(f'"{c}"' if " " in c else c for c in cmd)
    return ("[Desktop Entry]\nType=Application\nName=xlscore 服务\nName[en]=xlscore service\n"
            "Comment=WPS 加载项使用的本地 xlscore 服务\n"
            f"Exec={exec_line}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n")


# --------------------------------------------------------------------------- publish.xml

def _read_publish(path: Path) -> ET.Element:
    if not path.exists():
        return ET.Element("jsplugins")
    try:
        text = path.read_text(encoding="utf-8-sig").strip()
        root = ET.fromstring(text) if text else ET.Element("jsplugins")
    except (ET.ParseError, OSError, UnicodeDecodeError) as exc:
        raise UsageError("wps-publish-bad", path=str(path), reason=str(exc)[:100]) from None
    if root.tag != "jsplugins":
        raise UsageError("wps-publish-bad", path=str(path), reason=f"<{root.tag}>")
    return root


def merged_publish(path: Path, add: bool) -> tuple[str, bool]:
    """publish.xml with xlscore's entry added (or removed); other add-ins' entries are kept.
    Returns (text, whether an xlscore entry was there before)."""
    root = _read_publish(path)
    had = False
    for el in list(root):
        if el.get("name") == NAME:
            root.remove(el)
            had = True
    if add:
        ET.SubElement(root, "jsplugin", entry_attrs())
    ET.indent(root, space="  ")
    if not len(root):
        root.text = None
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n", had


# --------------------------------------------------------------------------- the actions

@dataclass
class Action:
    what: str          # copy | write | remove
    path: Path
    detail: str = ""

    def describe(self, lang: str) -> str:
        zh = {"copy": "复制加载项", "write": "写入", "remove": "删除"}[self.what]
        en = {"copy": "copy the add-in", "write": "write", "remove": "remove"}[self.what]
        label = zh if lang == "zh" else en
        return f"{label}: {self.path}" + (f"  ({self.detail})" if self.detail else "")


def plan_install(port: int, token: str | None, lang: str, autostart: bool = True) -> list[tuple[Action, object]]:
    """The steps of ``install``; *token* None (a dry run before the first one) describes the token only."""
    root = jsaddons_dir()
    steps: list[tuple[Action, object]] = []
    for old in sorted(root.glob(f"{NAME}_*")) if root.is_dir() else []:
        if old.is_dir() and old.name != FOLDER:
            steps.append((Action("remove", old, "旧版本" if lang == "zh" else "older version"), None))
    steps.append((Action("copy", root / FOLDER, f"← {ADDIN}"), ADDIN))
    if token is None:
        shown = "令牌首次运行时生成" if lang == "zh" else "token created on the first run"
    else:
        shown = ("令牌 …" if lang == "zh" else "token …") + token[-4:]
    steps.append((Action("write", root / FOLDER / "js" / "config.js", f"port {port}, {shown}"),
                  config_js(port, token or "", lang)))
    text, _had = merged_publish(root / "publish.xml", add=True)
    steps.append((Action("write", root / "publish.xml", entry_xml()), text))
    start = autostart_path()
    if autostart and start is not None:
        steps.append((Action("write", start, " ".join(serve_command())), autostart_text()))
    return steps


def plan_remove(lang: str) -> list[tuple[Action, object]]:
    root = jsaddons_dir()
    steps: list[tuple[Action, object]] = []
    for old in sorted(root.glob(f"{NAME}_*")) if root.is_dir() else []:
        if old.is_dir():
            steps.append((Action("remove", old), None))
    pub = root / "publish.xml"
    if pub.exists():
        text, had = merged_publish(pub, add=False)
        if had:
            steps.append((Action("write", pub, ("去掉 xlscore 条目" if lang == "zh" else "drop the xlscore entry")), text))
    start = autostart_path()
    if start is not None and start.exists():
        steps.append((Action("remove", start), None))
    return steps


def execute(steps: list[tuple[Action, object]]) -> None:
    for action, payload in steps:
        try:
            if action.what == "remove":
                if action.path.is_dir():
                    shutil.rmtree(action.path)
                elif action.path.exists():
                    action.path.unlink()
            elif action.what == "copy":
                if action.path.exists():
                    shutil.rmtree(action.path)
                shutil.copytree(payload, action.path, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                action.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = action.path.with_name(action.path.name + ".xlscore-tmp")
                tmp.write_text(payload, encoding="utf-8", newline="")
                os.replace(tmp, action.path)
        except OSError as exc:
            raise UsageError("wps-write-failed", path=str(action.path), reason=exc.strerror or str(exc)) from None
