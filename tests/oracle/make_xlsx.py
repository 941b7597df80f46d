"""Writes the Excel fixtures of issue 17 with openpyxl, and the CSV of the same rows beside each.

    target/test-venv/bin/python tests/oracle/make_xlsx.py [tests/fixtures/formats]

Every file is written from the same rows (a fixed random seed), so the engine's reading of a
workbook can be compared with its reading of the CSV, which this script writes itself (never
from what ValueLens reads). What the workbooks hold, honestly:

- orders.xlsx, sheet 订单: Chinese headers 客户编号/订单号/订单日期/金额/利润; dates as real date
  cells (number format yyyy-mm-dd, some with a time, yyyy-mm-dd hh:mm:ss); amounts as numbers;
  利润 as the formula =D{row}*0.2 in every row. openpyxl computes no formula, so the cached value
  Excel would store (<v>) is written into the sheet's XML afterwards: the product as Python's
  float gives it (the same IEEE double Excel computes), printed with repr (shortest round trip).
  One fully empty row (sheet row 42). A second sheet, 二月, with other rows.
  orders.csv and orders-二月.csv: the same rows, line for line (the empty row as ",,,,").
- orders-title.xlsx: the first sheet's rows under a title merged across A1:E1; header on row 2.
- orders-bad.xlsx + orders-bad.csv: a #DIV/0! error cell in 金额 (row 3), the text N/A in 金额
  (row 5), a formula without a cached value in 利润 (row 6: an empty cell to the reader),
  a text that is no date in 订单日期 (row 8).
- not-a-workbook.xlsx: a ZIP archive with a text file in it and no workbook.
- dates-1904.xlsx: the 1904 date system (Mac Excel before 2011): the same dates must read the
  same.
"""

import csv
import datetime as dt
import os
import random
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/formats"
HEADERS = ["客户编号", "订单号", "订单日期", "金额", "利润"]
EMPTY_ROW = 42  # the sheet row left empty in orders.xlsx


def rows_of(seed, count, customers, start):
    """Order rows: (customer, order, date or datetime, amount)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        customer = f"C{rng.randint(1, customers):03d}"
        day = start + dt.timedelta(days=rng.randint(0, 420))
        if i % 17 == 5:
            when = dt.datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        else:
            when = day
        amount = round(rng.uniform(5, 900), 2)
        if i % 23 == 7:
            amount = -round(amount / 3, 2)  # a return
        rows.append((customer, f"SO-{seed}{i:05d}", when, amount))
    return rows


def date_text(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.strftime("%Y-%m-%d")


def profit(amount):
    return amount * 0.2


def fill(ws, rows, first_row, cached=True):
    """Writes the header on first_row and the rows below it; returns {cell: cached value}."""
    for col, name in enumerate(HEADERS, start=1):
        ws.cell(row=first_row, column=col, value=name)
    cache = {}
    r = first_row + 1
    for row in rows:
        if r == EMPTY_ROW and ws.title == "订单":
            r += 1
        customer, order, when, amount = row
        ws.cell(row=r, column=1, value=customer)
        ws.cell(row=r, column=2, value=order)
        c = ws.cell(row=r, column=3, value=when)
        c.number_format = "yyyy-mm-dd hh:mm:ss" if isinstance(when, dt.datetime) else "yyyy-mm-dd"
        ws.cell(row=r, column=4, value=amount)
        ws.cell(row=r, column=5, value=f"=D{r}*0.2")
        cache[f"E{r}"] = repr(profit(amount))
        r += 1
    return cache


def csv_lines(rows, first_line=1, empty_line=None):
    lines = [HEADERS]
    line = first_line + 1
    for customer, order, when, amount in rows:
        if line == empty_line:
            lines.append([""] * 5)
            line += 1
        lines.append([customer, order, date_text(when), repr(amount), repr(profit(amount))])
        line += 1
    return lines


def write_csv(path, lines):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(lines)


def set_cached_values(path, caches):
    """Puts the cached formula values into the sheets' XML (openpyxl writes <v></v> or none)."""
    src = zipfile.ZipFile(path)
    items = [(info, src.read(info.filename)) for info in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            sheet = re.match(r"xl/worksheets/sheet(\d+)\.xml$", info.filename)
            if sheet and int(sheet.group(1)) in caches:
                cache = caches[int(sheet.group(1))]
                text = data.decode("utf-8")

                def put(m):
                    ref = m.group(1)
                    if ref not in cache or cache[ref] is None:
                        return m.group(0)
                    return f'<c r="{ref}"{m.group(2)}><f>{m.group(3)}</f><v>{cache[ref]}</v></c>'

                text, n = re.subn(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>', put, text)
                assert n >= sum(1 for v in cache.values() if v is not None), (info.filename, n)
                data = text.encode("utf-8")
            out.writestr(info, data)


def main():
    os.makedirs(OUT, exist_ok=True)
    first = rows_of(17, 300, 60, dt.date(2023, 1, 2))
    second = rows_of(29, 120, 25, dt.date(2023, 6, 1))

    # orders.xlsx: two sheets.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    cache1 = fill(ws, first, 1)
    ws2 = wb.create_sheet("二月")
    cache2 = fill(ws2, second, 1)
    path = os.path.join(OUT, "orders.xlsx")
    wb.save(path)
    set_cached_values(path, {1: cache1, 2: cache2})
    write_csv(os.path.join(OUT, "orders.csv"), csv_lines(first, empty_line=EMPTY_ROW))
    write_csv(os.path.join(OUT, "orders-二月.csv"), csv_lines(second))

    # orders-title.xlsx: a merged title above the header.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单明细"
    ws["A1"] = "2023—2024 年订单明细"
    ws.merge_cells("A1:E1")
    cache = fill(ws, first[:50], 2)
    path = os.path.join(OUT, "orders-title.xlsx")
    wb.save(path)
    set_cached_values(path, {1: cache})

    # orders-bad.xlsx: bad cells, each named by line and column.
    bad = first[:10]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    cache = fill(ws, bad, 1)
    ws["D3"] = "#DIV/0!"
    ws["D3"].data_type = "e"
    cache["E3"] = "#DIV/0!"
    ws["D5"] = "N/A"
    cache["E5"] = "#VALUE!"
    cache["E6"] = None  # no cached value: an empty cell
    ws["C8"] = "明天"
    path = os.path.join(OUT, "orders-bad.xlsx")
    wb.save(path)
    # Error values are cached with t="e".
    set_cached_values(path, {1: {k: v for k, v in cache.items() if v is None or not v.startswith("#")}})
    src = zipfile.ZipFile(path)
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for ref in ("E3", "E5"):
                    text, n = re.subn(rf'<c r="{ref}"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>',
                                      lambda m, ref=ref: f'<c r="{ref}" t="e"><f>{m.group(2)}</f><v>{cache[ref]}</v></c>', text)
                    assert n == 1, ref
                data = text.encode("utf-8")
            out.writestr(info, data)
    lines = csv_lines(bad)
    lines[2][3], lines[2][4] = "#DIV/0!", "#DIV/0!"
    lines[4][3], lines[4][4] = "N/A", "#VALUE!"
    lines[5][4] = ""
    lines[7][2] = "明天"
    write_csv(os.path.join(OUT, "orders-bad.csv"), lines)

    # dates-1904.xlsx: the 1904 date system.
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sheet1"
    cache = fill(ws, first[:30], 1)
    path = os.path.join(OUT, "dates-1904.xlsx")
    wb.save(path)
    set_cached_values(path, {1: cache})

    # not-a-workbook.zip: a ZIP archive without a workbook.
    with zipfile.ZipFile(os.path.join(OUT, "not-a-workbook.xlsx"), "w") as z:
        z.writestr("readme.txt", "no workbook here")

    # The oracle's own reading back: openpyxl sees the cached values where they were put.
    check = openpyxl.load_workbook(os.path.join(OUT, "orders.xlsx"), data_only=True)
    assert check["订单"]["E2"].value == profit(first[0][3]), check["订单"]["E2"].value
    assert check["订单"]["A42"].value is None
    assert openpyxl.load_workbook(os.path.join(OUT, "dates-1904.xlsx")).epoch == CALENDAR_MAC_1904


if __name__ == "__main__":
    main()
