"""Reference canonicaliser: Ratio1's signing JSON (docs/protocol.md §3.2), written from the
protocol notes with the standard library only, for generating r1top's test fixtures.
dict_to_json(obj, legacy) = json.dumps -> json.loads -> json.dumps(sort_keys=True), compact,
ensure_ascii=False, NaN/Infinity as null; floats as float.__repr__ (current encoder) or, for
the legacy encoder, repr with trailing '0's and then '.' stripped when repr contains a '.'."""
import json
import json.encoder as je


def _floatstr_repr(x):
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    return float.__repr__(x)


def _floatstr_legacy(x):
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    r = repr(x)
    return r.rstrip("0").rstrip(".") if "." in r else r


class _Encoder(json.JSONEncoder):
    legacy = False

    def iterencode(self, o, _one_shot=False):
        floatstr = _floatstr_legacy if self.legacy else _floatstr_repr
        enc = je.encode_basestring_ascii if self.ensure_ascii else je.encode_basestring
        it = je._make_iterencode({} if self.check_circular else None, self.default, enc,
                                 self.indent, floatstr, self.key_separator,
                                 self.item_separator, self.sort_keys, self.skipkeys, _one_shot)
        return it(o, 0)


class _LegacyEncoder(_Encoder):
    legacy = True


def dict_to_json(obj, legacy=False):
    cls = _LegacyEncoder if legacy else _Encoder
    cfg = dict(cls=cls, separators=(",", ":"), ensure_ascii=False)
    s = json.dumps(obj, **cfg)
    return json.dumps(json.loads(s), sort_keys=True, **cfg)
