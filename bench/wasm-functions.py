#!/usr/bin/env python3
"""The largest function bodies of a WebAssembly module, with their names when it has a name
section (e.g. `wasm-opt -O3 -g` on Trunk's target/wasm-bindgen/release/NAME_bg.wasm).

    python3 bench/wasm-functions.py MODULE.wasm [COUNT]

A function of hundreds of KB is compiled by V8's optimising tier as one unit: memory for a
moment and fast code late (BENCHMARKS.md, 2026-12-07 16:45 UTC).
"""
import sys


def leb(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def functions(data):
    """(body size, function index) of every body, and the names by index."""
    at, imported, sizes, names = 8, 0, [], {}
    while at < len(data):
        section = data[at]
        size, at = leb(data, at + 1)
        end = at + size
        if section == 2:  # imports: functions among them come first in the index space
            count, j = leb(data, at)
            for _ in range(count):
                for _ in range(2):
                    length, j = leb(data, j)
                    j += length
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imported += 1
                elif kind == 1:
                    limits = data[j + 1]
                    _, j = leb(data, j + 2)
                    if limits & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    limits = data[j]
                    _, j = leb(data, j + 1)
                    if limits & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
        elif section == 10:  # code
            count, j = leb(data, at)
            for index in range(count):
                body, j = leb(data, j)
                sizes.append((body, index + imported))
                j += body
        elif section == 0:  # custom: the name section's function names
            length, j = leb(data, at)
            if data[j:j + length] == b'name':
                j += length
                while j < end:
                    kind = data[j]
                    sub, j = leb(data, j + 1)
                    if kind == 1:
                        count, k = leb(data, j)
                        for _ in range(count):
                            index, k = leb(data, k)
                            length, k = leb(data, k)
                            names[index] = data[k:k + length].decode('utf-8', 'replace')
                            k += length
                    j += sub
        at = end
    return sizes, names


def main():
    data = open(sys.argv[1], 'rb').read()
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    sizes, names = functions(data)
    sizes.sort(reverse=True)
    print(f'{len(sizes)} functions, {sum(s for s, _ in sizes):,} bytes of bodies')
    for size, index in sizes[:count]:
        print(f'{size:>9,}  {names.get(index, f"#{index}")[:160]}')


if __name__ == '__main__':
    main()
