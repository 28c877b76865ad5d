#!/usr/bin/env python3
"""Checks that a PNG screenshot is not blank: decodes it (Python's zlib only, 8-bit RGB/RGBA) and
requires a share of non-white pixels and a number of distinct colours.

    png-check.py FILE.png [--min-ink 0.01] [--min-colours 8]

Prints `WIDTHxHEIGHT, ink F, N colours`; exit 0 when both floors are met, 1 otherwise, 2 when the
file is not a PNG this script reads.
"""
import argparse
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("png")
    parser.add_argument("--min-ink", type=float, default=0.01)
    parser.add_argument("--min-colours", type=int, default=8)
    args = parser.parse_args()
    try:
        width, height, channels, rows = decode(args.png)
    except (OSError, ValueError, TypeError, zlib.error) as error:
        print(f"png-check: error: {args.png}: {error}", file=sys.stderr)
        return 2
    ink, colours = 0, set()
    for row in rows[::2]:
        for x in range(0, width * channels, channels * 2):
            pixel = row[x:x + 3]
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                ink += 1
    share = ink / max(1, len(rows[::2]) * len(range(0, width * channels, channels * 2)))
    print(f"{width}x{height}, ink {share:.4f}, {len(colours)} colours")
    return 0 if share >= args.min_ink and len(colours) >= args.min_colours else 1


if __name__ == "__main__":
    sys.exit(main())
