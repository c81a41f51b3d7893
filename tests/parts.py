"""Package parts real workbooks carry and openpyxl may drop, added to a workbook the way Excel links them
(the part, its relationship, its content type), and a check of whether each one survived a save."""

from __future__ import annotations

import re
import zipfile

R_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RIBBON_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_2010 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_SIG = "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature"

CUSTOM_UI = (b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs>'
             b'<tab id="t" label="xlscore"><group id="g" label="g"><button id="b" label="b" onAction="Main"/>'
             b'</group></tab></tabs></ribbon></customUI>')
CUSTOM_XML = b'<?xml version="1.0"?><metadata xmlns="urn:example"><owner>bureau</owner></metadata>'
ITEM_PROPS = (b'<?xml version="1.0"?><ds:datastoreItem ds:itemID="{11111111-2222-3333-4444-555555555555}" '
              b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
              b'</ds:datastoreItem>')
CONNECTIONS = (b'<?xml version="1.0"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<connection id="1" name="budget" type="1" refreshedVersion="6" background="1">'
               b'<dbPr connection="DSN=budget;" command="SELECT 1"/></connection></connections>')
CUSTOM_PROPS = (b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                + '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="审核人">'
                  '<vt:lpwstr>张会计</vt:lpwstr></property></Properties>'.encode())
PRINTER = b"\x00\x01DEVMODE" + bytes(range(200))
SIGNATURE = b"\x30\x82SIGNATURE" + bytes(range(100))

KINDS = ("customui", "vba-signature", "customxml", "connections", "printer-settings", "custom-properties")


def _add_rel(xml: bytes, rid: str, rtype: str, target: str) -> bytes:
    return xml.replace(b"</Relationships>", f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>'
                       .encode() + b"</Relationships>")


def _add_ct(xml: bytes, part: str, ctype: str) -> bytes:
    if f'PartName="{part}"'.encode() in xml:
        return xml
    return xml.replace(b"</Types>", f'<Override PartName="{part}" ContentType="{ctype}"/>'.encode() + b"</Types>")


def _add_default(xml: bytes, ext: str, ctype: str) -> bytes:
    if f'Extension="{ext}"'.encode() in xml:
        return xml
    return xml.replace(b"</Types>", f'<Default Extension="{ext}" ContentType="{ctype}"/>'.encode() + b"</Types>")


def add_parts(src, dst, kinds=KINDS) -> None:
    """Copy the workbook *src* to *dst* with the parts *kinds* added and linked as Excel links them."""
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    ct = parts["[Content_Types].xml"]
    root = parts["_rels/.rels"]
    wbrels = parts["xl/_rels/workbook.xml.rels"]
    if "customui" in kinds:
        parts["customUI/customUI.xml"] = CUSTOM_UI
        parts["customUI/customUI14.xml"] = CUSTOM_UI.replace(b"2006/01/customui", b"2009/07/customui")
        root = _add_rel(root, "rIdUI1", RIBBON_2007, "customUI/customUI.xml")
        root = _add_rel(root, "rIdUI2", RIBBON_2010, "customUI/customUI14.xml")
    if "vba-signature" in kinds:
        assert "xl/vbaProject.bin" in parts, "a signature needs a VBA project"
        parts["xl/vbaProjectSignature.bin"] = SIGNATURE
        parts["xl/_rels/vbaProject.bin.rels"] = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + f'<Relationship Id="rId1" Type="{VBA_SIG}" Target="vbaProjectSignature.bin"/>'.encode()
            + b"</Relationships>")
        ct = _add_ct(ct, "/xl/vbaProjectSignature.bin", "application/vnd.ms-office.vbaProjectSignature")
    if "customxml" in kinds:
        parts["customXml/item1.xml"] = CUSTOM_XML
        parts["customXml/itemProps1.xml"] = ITEM_PROPS
        parts["customXml/_rels/item1.xml.rels"] = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + f'<Relationship Id="rId1" Type="{R_OFFICE}/customXmlProps" Target="itemProps1.xml"/>'.encode()
            + b"</Relationships>")
        wbrels = _add_rel(wbrels, "rIdCX1", f"{R_OFFICE}/customXml", "../customXml/item1.xml")
        ct = _add_ct(ct, "/customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    if "connections" in kinds:
        parts["xl/connections.xml"] = CONNECTIONS
        wbrels = _add_rel(wbrels, "rIdCN1", f"{R_OFFICE}/connections", "connections.xml")
        ct = _add_ct(ct, "/xl/connections.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml")
    if "printer-settings" in kinds:
        parts["xl/printerSettings/printerSettings1.bin"] = PRINTER
        rels_name = "xl/worksheets/_rels/sheet1.xml.rels"
        rels = parts.get(rels_name, b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                    b'package/2006/relationships"></Relationships>')
        parts[rels_name] = _add_rel(rels, "rIdPS1", f"{R_OFFICE}/printerSettings", "../printerSettings/printerSettings1.bin")
        sheet = parts["xl/worksheets/sheet1.xml"]
        if b"xmlns:r=" not in sheet[:600]:
            sheet = sheet.replace(b"<worksheet ", f'<worksheet xmlns:r="{R_OFFICE}" '.encode(), 1)
        sheet = re.sub(rb"<pageSetup\b[^>]*/>", b"", sheet)
        anchor = re.search(rb"<(drawing|legacyDrawing|tableParts|extLst)\b|</worksheet>", sheet)
        sheet = sheet[:anchor.start()] + b'<pageSetup paperSize="9" orientation="landscape" r:id="rIdPS1"/>' + sheet[anchor.start():]
        parts["xl/worksheets/sheet1.xml"] = sheet
        ct = _add_default(ct, "bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings")
    if "custom-properties" in kinds:
        parts["docProps/custom.xml"] = CUSTOM_PROPS
        root = _add_rel(root, "rIdCP1", f"{R_OFFICE}/custom-properties", "docProps/custom.xml")
        ct = _add_ct(ct, "/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    parts["[Content_Types].xml"], parts["_rels/.rels"], parts["xl/_rels/workbook.xml.rels"] = ct, root, wbrels
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def survived(path) -> dict[str, bool]:
    """For each kind: is the part there with its bytes and still linked (its relationship present)?"""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())

        def read(n):
            return zf.read(n) if n in names else b""
        root, wbrels = read("_rels/.rels"), read("xl/_rels/workbook.xml.rels")
        out = {
            "customui": read("customUI/customUI.xml") == CUSTOM_UI and RIBBON_2007.encode() in root
            and RIBBON_2010.encode() in root,
            "vba-signature": read("xl/vbaProjectSignature.bin") == SIGNATURE
            and VBA_SIG.encode() in read("xl/_rels/vbaProject.bin.rels"),
            "customxml": read("customXml/item1.xml") == CUSTOM_XML and b"relationships/customXml" in wbrels,
            "connections": read("xl/connections.xml") == CONNECTIONS and b"relationships/connections" in wbrels,
            "printer-settings": any(read(n) == PRINTER for n in names if n.startswith("xl/printerSettings/"))
            and any(b"printerSettings" in read(n) for n in names if n.startswith("xl/worksheets/_rels/")),
            "custom-properties": "docProps/custom.xml" in names and "张会计".encode() in read("docProps/custom.xml")
            and b"custom-properties" in root,
        }
    return out
