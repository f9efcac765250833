#!/usr/bin/python3
"""Writes canon_cases.json: random JSON documents (wire text as a sender might write it) with
the canonical text Ratio1's Python signer computes for them in both float modes. The C test
(test_canon.c) checks r1top's canonicaliser byte for byte against every case.
Run from anywhere: /usr/bin/python3 tests/data/trust/make_canon_cases.py"""
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pycanon import dict_to_json  # noqa: E402

rnd = random.Random(20260805)

SPECIAL_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 9.0, 0.5, 1.5, 100.0, 0.1, 0.2, 0.1 + 0.2, 1e-4, 1e-5, 0.00012,
    1.2e-05, 1e15, 1e16, 1.5e16, 123456789012345680.0, 9007199254740993.0, 1.5e20, 1.25e100,
    1.5e-10, 2.0 ** -1074, 2.0 ** -1022, 2.0 ** 1023, 1.7976931348623157e308, 5e-324,
    2.2250738585072014e-308, 0.3, 2.675, 1e22, 1e23, 4.35, 299792458.0, 0.999, 12.3,
]
SPECIAL_FLOATS += [2.0 ** e for e in range(-1074, 1024, 37)]
SPECIAL_FLOATS += [-(2.0 ** e) * 3 for e in range(-60, 70, 9)]


def rand_float():
    r = rnd.random()
    if r < 0.3:
        return rnd.choice(SPECIAL_FLOATS)
    if r < 0.5:
        return float(rnd.randint(-10 ** 6, 10 ** 6))
    if r < 0.7:
        return round(rnd.uniform(-1000, 1000), rnd.randint(0, 6))
    if r < 0.85:
        return rnd.uniform(-1, 1) * 10.0 ** rnd.randint(-30, 30)
    while True:  # any finite double, bit pattern uniform
        x = struct.unpack("<d", rnd.getrandbits(64).to_bytes(8, "little"))[0]
        if x == x and abs(x) != float("inf"):
            return x


ALPHABET = ["a", "b", "Z", "0", " ", "/", "\\", '"', "\n", "\r", "\t", "\b", "\f", "\x00",
            "\x01", "\x1f", "\x7f", "é", "ß", "€", "\u2028", "😀", "𝄞", "中", "\ufeff", "'"]


def rand_str(n=8):
    return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, n)))


def rand_value(depth):
    r = rnd.random()
    if depth < 4 and r < 0.2:
        return {rand_str(5): rand_value(depth + 1) for _ in range(rnd.randint(0, 6))}
    if depth < 4 and r < 0.35:
        return [rand_value(depth + 1) for _ in range(rnd.randint(0, 5))]
    r = rnd.random()
    if r < 0.35:
        return rand_float()
    if r < 0.55:
        return rnd.choice([0, 1, -1, 255, 2 ** 53 + 1, 2 ** 64, -(10 ** 30), rnd.randint(-10 ** 9, 10 ** 9)])
    if r < 0.8:
        return rand_str()
    return rnd.choice([None, True, False, float("nan"), float("inf"), float("-inf")])


def main():
    cases = []
    for i in range(400):
        doc = {rand_str(6): rand_value(1) for _ in range(rnd.randint(1, 8))}
        wire = json.dumps(doc, ensure_ascii=bool(i % 2), indent=2 if i % 3 == 0 else None)
        reloaded = json.loads(wire)
        cases.append({"wire": wire, "repr": dict_to_json(reloaded),
                      "legacy": dict_to_json(reloaded, legacy=True)})
    # hand-written lexemes a non-Python sender may use
    for wire in ['{"a":1E5,"b":1.50,"c":-0,"d":0.10e1,"e":1e400,"f":-1e-400}',
                 '{"k":"\\u00e9\\ud83d\\ude00\\/","k":"last wins"}',
                 '{"x":[1,1.0,1e-05,1e+16,1.5e+20,-0.0]}']:
        obj = json.loads(wire)
        cases.append({"wire": wire, "repr": dict_to_json(obj),
                      "legacy": dict_to_json(obj, legacy=True)})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "canon_cases.json")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(cases, fh, ensure_ascii=True, indent=0)
        fh.write("\n")
    print("wrote", out, len(cases), "cases")


if __name__ == "__main__":
    main()
