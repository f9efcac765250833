"""abienc: a small Solidity ABI encoder in plain Python (standard library only), written from the
ABI specification independently of r1top's C codec (src/chain/abi.c), so the two can check each
other: tests/data/abi/make_vectors.py writes the unit tests' vectors with it, and rpcsim.py
encodes its eth_call replies with it.

Types are written as in Solidity signatures: uint256, uint8, address, bool, bytes, tuples
"(uint256,address,bytes)" and arrays "T[]". encode(types, values) is the encoding of a
function's arguments or return values (a tuple of them)."""


def split_types(inner):
    """'uint256,(address,bytes)[],bool' -> ['uint256', '(address,bytes)[]', 'bool']."""
    out, depth, cur = [], 0, ''
    for ch in inner:
        if ch == ',' and depth == 0:
            out.append(cur)
            cur = ''
            continue
        depth += ch == '('
        depth -= ch == ')'
        cur += ch
    if cur:
        out.append(cur)
    return out


def is_dynamic(t):
    if t == 'bytes' or t.endswith('[]'):
        return True
    if t.startswith('('):
        return any(is_dynamic(x) for x in split_types(t[1:-1]))
    return False


def word(n):
    if n < 0 or n >= 1 << 256:
        raise ValueError('out of range for a word: %r' % n)
    return n.to_bytes(32, 'big')


def encode_one(t, v):
    if t.endswith('[]'):
        elem = t[:-2]
        return word(len(v)) + encode_tuple([elem] * len(v), v)
    if t.startswith('('):
        return encode_tuple(split_types(t[1:-1]), v)
    if t == 'bytes':
        pad = (-len(v)) % 32
        return word(len(v)) + bytes(v) + b'\0' * pad
    if t == 'address':
        raw = bytes.fromhex(v[2:] if v.startswith('0x') else v)
        if len(raw) != 20:
            raise ValueError('address of %d bytes' % len(raw))
        return b'\0' * 12 + raw
    if t == 'bool':
        return word(1 if v else 0)
    if t.startswith('uint'):
        bits = int(t[4:])
        if v >= 1 << bits:
            raise ValueError('%d does not fit %s' % (v, t))
        return word(v)
    raise ValueError('type not supported: ' + t)


def encode_tuple(types, values):
    """Heads (static values inline, offsets for dynamic ones), then the tails in order."""
    heads_len = sum(32 if is_dynamic(t) else len(encode_one(t, v)) for t, v in zip(types, values))
    heads, tails = b'', b''
    for t, v in zip(types, values):
        enc = encode_one(t, v)
        if is_dynamic(t):
            heads += word(heads_len + len(tails))
            tails += enc
        else:
            heads += enc
    return heads + tails


def encode(types, values):
    return encode_tuple(list(types), list(values))
