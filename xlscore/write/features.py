"""Workbook features openpyxl drops silently on save, detected from the package before any write.

recalc writes through the package store (write/package.py), which keeps all of them. Only where that store
refuses a workbook and recalc falls back to openpyxl does this matter: with one present, the fallback never
writes in place, it writes ``<name>.xlscore.xlsx`` beside the original and says why (excel-stack.md, "openpyxl
round trips").
"""

from __future__ import annotations

import re
import zipfile

# (id, Chinese name, English name)
FEATURES = {
    "x14-validation": ("跨表下拉列表（Excel 2010 数据验证）", "Excel 2010+ data validations"),
    "x14-conditional-format": ("数据条等新版条件格式", "Excel 2010+ conditional formats (data bars…)"),
    "sparklines": ("迷你图", "sparklines"),
    "shapes": ("形状/文本框", "shapes and text boxes"),
    "charts": ("图表", "charts"),
    "images": ("图片", "images"),
    "form-controls": ("表单控件", "form controls"),
    "activex": ("ActiveX 控件", "ActiveX controls"),
    "slicers": ("切片器/日程表", "slicers and timelines"),
    "threaded-comments": ("新式批注（对话）", "threaded comments"),
    "vba": ("宏（VBA）", "macros (VBA)"),
    "ribbon": ("自定义功能区（customUI）", "custom ribbon (customUI)"),
    "vba-signature": ("宏的数字签名", "VBA project signature"),
    "custom-xml": ("自定义 XML 部件（customXml）", "custom XML parts (customXml)"),
    "connections": ("外部数据连接", "external data connections"),
    "printer-settings": ("打印机设置", "printer settings"),
    "custom-properties": ("自定义文档属性", "custom document properties"),
}

# custom document property types openpyxl 3.1 reads and writes back; a property of any other type
# (vt:lpstr, vt:i8, vt:date, vt:decimal, vt:cy, …) is dropped, and with it docProps/custom.xml (measured)
_KEPT_PROP_TYPES = {b"lpwstr", b"i4", b"bool", b"filetime", b"r8"}
_PROP_TYPE = re.compile(rb"<vt:(\w+)")

_X14_DV = re.compile(rb"<x14:dataValidations\b")
_X14_CF = re.compile(rb"<x14:conditionalFormattings?\b")
_SPARK = re.compile(rb"<x14:sparklineGroups\b")
_SHAPE = re.compile(rb"<xdr:sp\b|<xdr:cxnSp\b")


def detect(path, *, keep_vba: bool = False) -> list[str]:
    """Feature ids present in the package at *path* that a save through openpyxl would lose."""
    found: list[str] = []
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return found
    with zf:
        names = zf.namelist()
        for name in names:
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                data = zf.read(name)
                if b"extLst" in data:
                    if _X14_DV.search(data):
                        found.append("x14-validation")
                    if _X14_CF.search(data):
                        found.append("x14-conditional-format")
                    if _SPARK.search(data):
                        found.append("sparklines")
            elif name.startswith("xl/drawings/") and name.endswith(".xml") and "/_rels/" not in name:
                if _SHAPE.search(zf.read(name)):
                    found.append("shapes")
            elif name.startswith("xl/charts/chart"):
                found.append("charts")
            elif name.startswith("xl/media/"):
                found.append("images")
            elif name.startswith("xl/ctrlProps/"):
                found.append("form-controls")
            elif name.startswith("xl/activeX/"):
                found.append("activex")
            elif name.startswith(("xl/slicers/", "xl/timelines/", "xl/slicerCaches/")):
                found.append("slicers")
            elif name.startswith("xl/threadedComments/"):
                found.append("threaded-comments")
            elif name == "xl/vbaProject.bin" and not keep_vba:
                found.append("vba")
            elif name.startswith("customUI/") or name.lower().startswith("customui/"):
                found.append("ribbon")           # openpyxl copies the XML but drops its link from _rels/.rels
            elif name.startswith("xl/vbaProjectSignature"):
                found.append("vba-signature")    # the .bin is copied, its link (xl/_rels/vbaProject.bin.rels) is not
            elif name.startswith("customXml/"):
                found.append("custom-xml")
            elif name == "xl/connections.xml" or name.startswith("xl/queryTables/"):
                found.append("connections")
            elif name.startswith("xl/printerSettings/"):
                found.append("printer-settings")
            elif name == "docProps/custom.xml":
                types = set(_PROP_TYPE.findall(zf.read(name)[:1 << 20]))
                if types - _KEPT_PROP_TYPES:
                    found.append("custom-properties")
    return sorted(set(found), key=list(FEATURES).index)


def describe(ids: list[str], lang: str = "zh") -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(FEATURES[i][0 if lang == "zh" else 1] for i in ids)
