"""Writes the hostile Excel fixtures of issue 17 (small on disk), with Python's zipfile only.

    python3 tests/oracle/make_hostile_xlsx.py [tests/fixtures/formats]

Each is a minimal, valid workbook (content types, workbook, relationships, one sheet) whose sheet
is hostile:

- hostile-dimension.xlsx: <dimension ref="A1:XFD1048576"/> over a real table of three rows: the
  claim must cost nothing; the rows read as usual.
- hostile-far-cells.xlsx: one cell in A1 and one in XFD1048576: a dense grid of 17 billion cells
  from two cells; must be refused (sheet too large), not allocated.
- hostile-bomb.xlsx: the sheet XML is a header row, then 400 MB of spaces inside <sheetData>,
  deflated to well under a megabyte; its unpacked size is declared honestly in the ZIP directory
  and must be refused before unpacking.
- hostile-bomb-lying.xlsx: the same sheet, but the ZIP directory declares 1 KB for it: the ZIP
  reader must stop at the declared size (a damaged file), never unpack it all.
"""

import os
import struct
import sys
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def cell(ref, value):
    if isinstance(value, str):
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, value)
    return '<c r="%s"><v>%s</v></c>' % (ref, value)


def row(number, values):
    cells = "".join(cell("%s%d" % (chr(ord("A") + i), number), v) for i, v in enumerate(values))
    return '<row r="%d">%s</row>' % (number, cells)


TABLE = [
    ["customer", "order", "date", "amount"],
    ["c1", "o1", "2024-01-05", 10.5],
    ["c2", "o2", "2024-02-06", 20],
    ["c1", "o3", "2024-03-07", 5],
]


def workbook(path, sheet, lie_about_sheet_size=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as out:
            for part in sheet:
                out.write(part.encode())
    if lie_about_sheet_size is not None:
        patch_declared_size(path, "xl/worksheets/sheet1.xml", lie_about_sheet_size)


def patch_declared_size(path, name, size):
    """Writes `size` as the member's uncompressed size in its local header and the directory."""
    data = bytearray(open(path, "rb").read())
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = 0
        while True:
            at = data.find(signature, at)
            if at < 0:
                break
            (name_len,) = struct.unpack_from("<H", data, at + name_len_at)
            if data[at + name_at : at + name_at + name_len] == encoded:
                struct.pack_into("<I", data, at + size_at, size)
            at += 4
    open(path, "wb").write(bytes(data))


def spaces(megabytes):
    block = " " * (1 << 20)
    for _ in range(megabytes):
        yield block


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("tests", "fixtures", "formats")
    os.makedirs(out, exist_ok=True)
    rows = "".join(row(i + 1, r) for i, r in enumerate(TABLE))
    workbook(
        os.path.join(out, "hostile-dimension.xlsx"),
        [SHEET_HEAD, '<dimension ref="A1:XFD1048576"/><sheetData>', rows, "</sheetData></worksheet>"],
    )
    workbook(
        os.path.join(out, "hostile-far-cells.xlsx"),
        [
            SHEET_HEAD,
            '<dimension ref="A1:XFD1048576"/><sheetData>',
            row(1, ["customer"]),
            '<row r="1048576">%s</row>' % cell("XFD1048576", 1),
            "</sheetData></worksheet>",
        ],
    )
    bomb = [SHEET_HEAD, "<sheetData>", row(1, TABLE[0]), *spaces(400), "</sheetData></worksheet>"]
    workbook(os.path.join(out, "hostile-bomb.xlsx"), bomb)
    workbook(os.path.join(out, "hostile-bomb-lying.xlsx"), bomb, lie_about_sheet_size=1024)
    for name in ("hostile-dimension", "hostile-far-cells", "hostile-bomb", "hostile-bomb-lying"):
        print(name, os.path.getsize(os.path.join(out, name + ".xlsx")), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
