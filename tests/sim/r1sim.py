#!/usr/bin/python3
# r1sim.py: a simulator of the world r1top talks to, for the integration tests.
#
# It serves the Ratio1 oracle API on 127.0.0.1 (envelope, field shapes and signatures as the
# real oracle's: tests/data/oracle, tests/data/vectors) and writes a node's status files
# (local_info.json, local_history.json, box_configuration/streams/*.json) into a folder.
# Faults can be switched on from the command line or at run time (GET /_sim/fault).
#
# Python 3 standard library + the `cryptography` package only (Debian: python3-cryptography).
# Signatures are made with `cryptography`, never with r1top's code, and Keccak-256 and the
# secp256k1 recovery maths below are written out here so nothing else is needed.
#
# Usage: r1sim.py [--state-dir DIR] [--network mainnet] [--fault MODE] [--fault-path PREFIX]
#                 [--lifetime S] [--key PEM] [--port N] [--selftest] [--verbose]
# Prints "SIGNER=0xai_..." and "PORT=<n>" on stdout once listening.

import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError:  # the tests check for this and skip
    sys.stderr.write("r1sim: the python3 'cryptography' package is required\n")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------
# Keccak-256 (the pre-FIPS padding Ethereum uses; hashlib.sha3_256 is NOT this): the plain
# Python one the trust fixtures use, independent of r1top's src/keccak.c.
sys.path.insert(0, os.path.join(HERE, "..", "data", "trust"))
from pykeccak import keccak256  # noqa: E402


# ---------------------------------------------------------------------------------------
# secp256k1 affine maths, only for the Ethereum (recoverable) availability signatures.

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


def _pt_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        lam = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (lam * lam - a[0] - b[0]) % P
    return (x, (lam * (a[0] - x) - a[1]) % P)


def _pt_mul(k, pt):
    res = None
    while k:
        if k & 1:
            res = _pt_add(res, pt)
        pt = _pt_add(pt, pt)
        k >>= 1
    return res


def eth_address_from_xy(x: int, y: int) -> str:
    raw = keccak256(x.to_bytes(32, "big") + y.to_bytes(32, "big"))[12:].hex()
    h = keccak256(raw.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c for i, c in enumerate(raw))


def eth_sign_digest(priv: int, digest: bytes) -> bytes:
    """ECDSA over a 32-byte digest, low-S, returns r||s||v (v = 27/28) like eth_account."""
    z = int.from_bytes(digest, "big")
    while True:
        k = secrets.randbelow(N - 1) + 1
        rp = _pt_mul(k, G)
        r = rp[0] % N
        if r == 0:
            continue
        s = pow(k, -1, N) * (z + r * priv) % N
        if s == 0:
            continue
        recid = (rp[1] & 1) | (2 if rp[0] >= N else 0)
        if s > N // 2:
            s = N - s
            recid ^= 1
        return r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([27 + recid])


def eth_recover_digest(digest: bytes, sig65: bytes):
    r = int.from_bytes(sig65[:32], "big")
    s = int.from_bytes(sig65[32:64], "big")
    v = sig65[64]
    recid = v - 27 if v >= 27 else v
    x = r + (N if recid & 2 else 0)
    y2 = (pow(x, 3, P) + 7) % P
    y = pow(y2, (P + 1) // 4, P)
    if (y * y) % P != y2:
        return None
    if (y & 1) != (recid & 1):
        y = P - y
    z = int.from_bytes(digest, "big")
    rinv = pow(r, -1, N)
    q = _pt_add(_pt_mul(s * rinv % N, (x, y)), _pt_mul((-z * rinv) % N, G))
    return eth_address_from_xy(*q) if q else None


def eip191_digest(h32: bytes) -> bytes:
    return keccak256(b"\x19Ethereum Signed Message:\n32" + h32)


def availability_digest(node_eth: str, from_epoch: int, to_epoch: int, packed: bytes) -> bytes:
    """keccak256(abi.encodePacked(address, uint256, uint256, bytes)) -> EIP-191 digest."""
    msg = bytes.fromhex(node_eth[2:]) + from_epoch.to_bytes(32, "big") + to_epoch.to_bytes(32, "big") + packed
    return eip191_digest(keccak256(msg))


# ---------------------------------------------------------------------------------------
# Ratio1 message signing (ratio1_sdk bc/base.py sign(), v2 canon) and verification.

NON_DATA = ("EE_SIGN", "EE_SENDER", "EE_HASH", "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER")


def canon_complex(d) -> str:
    # ratio1_sdk: json.dumps(separators, ensure_ascii=False) -> loads -> dumps(sort_keys=True)
    s = json.dumps(d, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(json.loads(s), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _legacy_dump(v) -> str:
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, float):
        t = repr(v)
        if t in ("nan", "inf", "-inf"):
            return "null"
        return t.rstrip("0").rstrip(".") if "." in t else t
    if isinstance(v, list):
        return "[" + ",".join(_legacy_dump(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _legacy_dump(v[k])
                              for k in sorted(v, key=str)) + "}"
    raise TypeError(type(v))


def canon_legacy(d) -> str:
    return _legacy_dump(json.loads(json.dumps(d, ensure_ascii=False)))


def pub_to_0xai(pub) -> str:
    comp = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    return "0xai_" + base64.urlsafe_b64encode(comp).decode().rstrip("=")


def pub_to_eth(pub) -> str:
    nums = pub.public_numbers()
    return eth_address_from_xy(nums.x, nums.y)


def addr_to_pub(addr: str):
    for pre in ("0xai_", "aixp_"):
        if addr.startswith(pre):
            addr = addr[len(pre):]
    raw = base64.urlsafe_b64decode(addr + "=" * (-len(addr) % 4))
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), raw)


class Signer:
    def __init__(self, key=None):
        self.key = key or ec.generate_private_key(ec.SECP256K1())
        self.pub = self.key.public_key()
        self.address = pub_to_0xai(self.pub)
        self.eth_address = pub_to_eth(self.pub)
        self.priv_int = self.key.private_numbers().private_value

    def sign(self, dct: dict) -> dict:
        """Adds SIGN_CANON_V, EE_SIGN, EE_SENDER, EE_ETH_SENDER, EE_ETH_SIGN, EE_HASH in place."""
        data = {k: v for k, v in dct.items() if k not in NON_DATA}
        data["SIGN_CANON_V"] = "v2"
        canon = canon_complex(data)
        digest = hashlib.sha256(canon.encode("utf-8")).digest()
        der = self.key.sign(digest, ec.ECDSA(hashes.SHA256()))
        dct["SIGN_CANON_V"] = "v2"
        dct["EE_SIGN"] = base64.urlsafe_b64encode(der).decode()
        dct["EE_SENDER"] = self.address
        dct["EE_ETH_SENDER"] = self.eth_address
        dct["EE_ETH_SIGN"] = "0xBEEF"
        dct["EE_HASH"] = digest.hex()
        return dct

    def eth_sign_availability(self, node_eth, from_epoch, to_epoch, vals):
        sig = eth_sign_digest(self.priv_int, availability_digest(node_eth, from_epoch, to_epoch, bytes(vals)))
        return "0x" + sig.hex()


def verify_message(msg: dict):
    """Returns (ok, detail) following ratio1_sdk verify(): canon version rules of docs/protocol.md §3.4."""
    ver = msg.get("SIGN_CANON_V")
    sender, sign = msg.get("EE_SENDER"), msg.get("EE_SIGN")
    if not sender or not sign:
        return False, "unsigned"
    base = {k: v for k, v in msg.items() if k not in NON_DATA}
    if ver is None:
        candidates = [canon_complex(base), canon_legacy(base)]
    elif ver == "v2":
        base["SIGN_CANON_V"] = "v2"
        candidates = [canon_complex(base)]
    elif ver == "v1":
        candidates = [canon_legacy(base)]
    else:
        return False, "unknown SIGN_CANON_V %r" % ver
    try:
        pub = addr_to_pub(sender)
        der = base64.urlsafe_b64decode(sign)
    except Exception as e:  # noqa: BLE001
        return False, "bad sender/sign: %s" % e
    last = "no candidate"
    for canon in candidates:
        h = hashlib.sha256(canon.encode("utf-8")).digest()
        if "EE_HASH" in msg and msg["EE_HASH"] != h.hex():
            last = "hash mismatch"
            continue
        try:
            pub.verify(der, h if "EE_HASH" in msg else canon.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            last = "bad signature"
            continue
        eth = pub_to_eth(pub)
        if msg.get("EE_ETH_SENDER") not in (None, eth):
            return False, "EE_ETH_SENDER %s != derived %s" % (msg.get("EE_ETH_SENDER"), eth)
        return True, "ok %s" % h.hex()
    return False, last


# ---------------------------------------------------------------------------------------
# The simulated world.

NETWORKS = {
    # genesis (unix s, UTC), epoch length (s)
    "mainnet": (1748016000, 86400),
    "testnet": (1748016000, 86400),
    "devnet": (1777651200, 4 * 3600),  # 2026-05-01 16:00:00 UTC
}

ESCAPE = "\u001b]0;pwned\u0007\u001b[2J"
SECRET_MARK = "SIMSECRET"
ND_MAX_RELEASE_PER_DAY = 1458508188386985115
# availability by distance back from the epoch that was current when the sim started:
# [1] is the last synced epoch, [7] the licence's lastClaimEpoch.
AVAIL_BACK = [255, 254, 255, 250, 0, 255, 128, 255, 201, 255, 17, 255, 255]

HTTP_FAULTS = ("slow", "http500", "truncated", "garbage", "oversized", "oversized-nolen",
               "badsig", "wrongsigner", "unsigned", "escape",
               # regressions of found-defects D1, D2, D6, D22, D3: a genuine reply over 256 KiB;
               # a genuinely signed reply about another node; a signed reply ten days old; a
               # signed reply from another network; a signed but stale /current_epoch
               "big", "othernode", "oldreply", "othernet", "oldepoch",
               # D20: a 302 whose body is a well-formed reply that must not be used
               "redirect",
               # D21: a 2 MiB reply of small values (cheap to send, dear to parse)
               "bloat",
               # the fleet issue's "oracle syncing": the oracle has synced only up to three
               # epochs back (server_last_synced_epoch < current - 1), replies otherwise genuine
               "lagging")
FILE_FAULTS = ("files-truncated", "files-stale", "escape")


def utc_str(t, micro=False):
    dt = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f" if micro else "%Y-%m-%d %H:%M:%S")


class World:
    def __init__(self, args):
        self.args = args
        self.network = args.network
        self.genesis, self.epoch_len = NETWORKS[args.network]
        self.started = time.time()
        if args.key:
            with open(args.key, "rb") as f:
                key = serialization.load_pem_private_key(f.read(), password=None)
            self.signer = Signer(key)
        else:
            self.signer = Signer()
        self.other_signer = Signer()  # for `wrongsigner`
        self.lock = threading.Lock()
        self.fault = args.fault
        self.fault_path = args.fault_path
        self.state_dir = args.state_dir
        self.server_alias = "r1sim-oracle"
        self.server_version = "2.9.370"
        # The node: identity pair from the protocol notes (docs/protocol.md §3.5).
        self.node_addr = "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
        self.node_eth = pub_to_eth(addr_to_pub(self.node_addr))
        assert self.node_eth == "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", self.node_eth
        self.node_alias = "sim-edge-01"
        self.node_version_long = "v2.9.370 | core v7.7.149 | SDK 3.4.2"
        self.node_version_short = "v2.9.370"
        self.uptime_str = "123:04:05"   # local_history uptime, = 443045 s
        self.uptime_s = 123 * 3600 + 4 * 60 + 5
        cur = self.start_epoch = self.current_epoch()
        self.license = {
            "network": self.network,
            "licenseType": args.licence_type,
            "licenseId": 4242,
            "owner": "0x3F1c6A8d1B2e4A5b9C0d7E8f1a2B3c4D5e6F7a81",
            "nodeAddress": self.node_eth,
            "totalAssignedAmount": 1575188843457943924600,
            "totalClaimedAmount": args.claimed_wei if args.claimed_wei is not None else 120 * ND_MAX_RELEASE_PER_DAY,
            "lastClaimEpoch": cur - 7,
            "assignTimestamp": 1748600123,
            "lastClaimOracle": "0x4dC1a55ec7c1D4a3f3E2C6c5A1dE8F4b7a2B9c10",
            "isBanned": False,
            "isValid": True,
            "usdcPoaiRewards": 12500000,
            "r1PoaiRewards": 3210000000000000000,
        }
        if args.no_poai:
            # the real oracle's shape: the SDK maps only tuple fields 0-9 (docs/protocol.md §5.2)
            del self.license["usdcPoaiRewards"], self.license["r1PoaiRewards"]
        self.secrets = {
            "CLOUDFLARE_TOKEN": SECRET_MARK + "-cf-7f3a9c2e1b",
            "ENV_API_KEY": SECRET_MARK + "-env-5d1e88aa",
            "VCS_TOKEN": SECRET_MARK + "-vcs-ghp_0123456789",
            "CR_PASSWORD": SECRET_MARK + "-cr-pass",
        }

    # --- epochs -----------------------------------------------------------------------
    def current_epoch(self, now=None):
        now = time.time() if now is None else now
        return int((now - self.genesis) // self.epoch_len)

    def last_synced_epoch(self):
        return self.current_epoch() - (3 if self.fault == "lagging" else 1)

    def avail(self, epoch):
        return AVAIL_BACK[(self.start_epoch - epoch) % len(AVAIL_BACK)]

    def alias(self):
        return ("sim" + ESCAPE + "node") if self.fault == "escape" else self.node_alias

    def oracle_state(self, start, end):
        cur = self.current_epoch()
        return {
            "current_epoch": cur,
            "current_date": utc_str(time.time()),
            "genesis_date": utc_str(self.genesis),
            "epoch_intervals": self.epoch_len // 3600,
            "epoch_interval_seconds": 3600,
            "epoch_length": self.epoch_len,
            "manager": {
                "ver": "2.9.370/7.7.149/3.4.2",
                "certainty": {str(e): 0.98 for e in range(start, end + 1)},
                "valid": True,
                "supervisor_min_avail_prc": 0.9 if self.network == "mainnet" else 0.6,
                "saves_utc": [utc_str(self.started)],
                "save_epochs": [cur - 1],
                "em_restarts_utc": [],
                "em_reloads_utc": [],
                "faulty_epochs": [],
            },
        }

    def resources(self):
        return {"mem_total": 62.7, "mem_avail": 41.2, "cpu_cores": 16, "cpu_cores_avail": 11.5,
                "disk_total": 937.8, "disk_avail": 612.4, "default_cuda": "cuda:0",
                "gpu_name": "NVIDIA GeForce RTX 4090", "gpu_mem_total": 23.99, "gpu_mem_avail": 20.5,
                "gpu_usage": 12, "debug_data": {"gpu_status": "OK", "gpu_info": None, "debug_device_id": 0}}

    def node_epochs_block(self, eth, start, end, include_bc_info):
        """__get_node_epochs() for one ETH address; returns the dict (unsigned)."""
        known = eth.lower() == self.node_eth.lower()
        synced = self.last_synced_epoch()
        error = None
        if start > end:
            error = "Start epoch is greater than end epoch"
        if end < 1:
            error = "End epoch is less than 1"
        if end > synced:
            error = "End epoch is greater than the last synced epoch"
        epochs = list(range(start, end + 1)) if start <= end else []
        if known:
            node, node_eth, alias = self.node_addr, self.node_eth, self.alias()
            vals = [self.avail(e) for e in epochs] if error is None else []
        else:
            node, node_eth, alias = "unknown:" + eth, eth, "unknown"
            vals = [0 for _ in epochs]
        if error is not None and known:
            epochs = []
        packed = bytes(vals)
        sig = self.signer.eth_sign_availability(node_eth, start, end, vals) if epochs and not error else []
        lic = dict(self.license) if (known and include_bc_info) else None
        d = {
            "node": node,
            "node_eth_address": node_eth,
            "node_alias": alias,
            "epochs": epochs,
            "epochs_vals": vals,
            "from_epoch": start,
            "to_epoch": end,
            "packed_availabilities": "0x" + packed.hex(),
            "eth_signed_data": {"input": ["address", "uint256", "uint256", "bytes"],
                                "signature_field": "eth_signature"},
            "eth_signatures": [sig],
            "eth_addresses": [self.signer.eth_address],
            "node_last_seen_sec": 4.12 if known else -1,
            "resources": self.resources() if known else {},
            "tags": ["CT:RO", "REG:EU", "DC:sim-dc"] if known else [],
            "node_is_online": known,
            "node_version": self.node_version_long if known else "unknown",
            "node_is_oracle": False,
            "node_license_info": lic,
            "node_licese_info": dict(lic) if lic is not None else None,
            "oracle": self.oracle_state(start, end),
        }
        if error is not None:
            d["error"] = error
        if not known:
            d["error"] = "[No internal node address found]:  unknown:" + eth
        return d

    # --- signing / envelope -------------------------------------------------------------
    def respond(self, result, fault):
        now = time.time()
        stamp = now - 10 * 86400 if fault == "oldreply" else now
        if fault == "othernode" and "node_eth_address" in result:
            result["node"] = self.other_signer.address
            result["node_eth_address"] = self.other_signer.eth_address
        if fault == "othernode":
            # a batch: every node's block is another node's, under the key asked for
            for blk in result.values():
                if isinstance(blk, dict) and "node_eth_address" in blk:
                    blk["node"] = self.other_signer.address
                    blk["node_eth_address"] = self.other_signer.eth_address
        if fault == "oldepoch" and "current_epoch" in result:
            result["current_epoch"] = self.current_epoch(now) - 5
        result["server_alias"] = ("r1sim" + ESCAPE + "oracle") if fault == "escape" else self.server_alias
        result["server_version"] = self.server_version
        result["server_time"] = utc_str(stamp)
        result["server_current_epoch"] = self.current_epoch(stamp)
        result["server_last_synced_epoch"] = self.last_synced_epoch()
        result["server_uptime"] = str(datetime.timedelta(seconds=int(now - self.started) + 439323))
        if fault == "unsigned":
            pass
        elif fault == "wrongsigner":
            self.other_signer.sign(result)
        else:
            self.signer.sign(result)
        if fault == "badsig":
            # flip one character of a signed value after signing
            v = result.get("node_alias") or result["server_alias"]
            key = "node_alias" if "node_alias" in result else "server_alias"
            result[key] = v[:-1] + ("X" if v[-1] != "X" else "Y")
        env = {
            "result": result,
            "server_node_addr": self.signer.address,
            "evm_network": ("testnet" if self.network != "testnet" else "mainnet") if fault == "othernet" else self.network,
            "ee_node_alias": self.server_alias,
            "ee_node_address": self.signer.address,
            "ee_node_eth_address": self.signer.eth_address,
            "ee_node_network": self.network,
            "ee_node_ver": self.server_version,
        }
        if fault == "big":
            # outside the signed part, as any extra envelope key: r1top must parse, then free
            env["padding"] = "x" * (300 * 1024)
        if fault == "bloat":
            env["padding"] = [0] * (1024 * 1024)
        return env

    # --- node files ---------------------------------------------------------------------
    def local_info(self):
        cur = self.current_epoch()
        now = time.time()
        elapsed = (now - self.genesis) % self.epoch_len
        return {
            "address": self.node_addr,
            "alias": self.alias(),
            "eth_address": self.node_eth,
            "version_long": self.node_version_long,
            "version_short": self.node_version_short,
            "info": {
                "whitelist": ["0xai_AthDPWc_k3BKJLLYTQMw--Rjhe3B6_7w76jlRpT6nDeX",
                              "0xai_A74xZKZJa4LekjvJ6oJz29qxOOs5nLClXAZEhYv59t3Z"],
                "current_epoch": cur,
                "current_epoch_avail": round(min(1.0, 0.9871), 4) if elapsed > 0 else 0.0,
                "last_epochs": {str(e): self.avail(e) for e in range(cur - 5, cur)},
                "evm_network": self.network,
                "r1fs_id": "12D3KooWSimSimSimSimSimSimSimSimSimSimSimSimSim",
                "r1fs_online": True,
                "comm_last_active": utc_str(now - 3, micro=True),
            },
        }

    def history(self):
        cur = self.current_epoch()
        now = time.time()
        n = 12
        ts = [utc_str(now - 300 * (n - 1 - i), micro=True) for i in range(n)]
        return {
            "address": self.node_addr,
            "eth_address": self.node_eth,
            "alias": self.alias(),
            "current_epoch": cur,
            "current_epoch_avail": 0.9871,
            "uptime": self.uptime_str,
            "version": self.node_version_short,
            "last_epochs": [self.avail(e) for e in range(cur - 10, cur)],
            "last_save_time": utc_str(now),
            "cpu_load": [round(10 + i * 1.5, 1) for i in range(n - 1)] + [37.5],
            "cpu_temp": [55.0 + i for i in range(n - 1)] + [61.0],
            "total_memory": [62.7] * n,
            "occupied_memory": [20.1 + 0.1 * i for i in range(n - 1)] + [21.5],
            "gpu_load": [3.0] * (n - 1) + [42.0],
            "gpu_temp": [48.0] * (n - 1) + [67.0],
            "gpu_occupied_memory": [1.2] * n,
            "gpu_total_memory": [23.99] * n,
            "timestamps": ts,
        }

    def streams(self):
        alias = ("my" + ESCAPE + "app") if self.fault == "escape" else "myapp"
        admin_plugins = ["UPDATE_MONITOR_01", "NET_MON_01", "NET_CONFIG_MONITOR", "CSTORE_MANAGER_API",
                         "R1FS_MANAGER_API", "CHAIN_DIST_MONITOR"]
        admin = {
            "NAME": "admin_pipeline", "TYPE": "NetworkListener",
            "PLUGINS": [{"SIGNATURE": s, "INSTANCES": [{"INSTANCE_ID": s + "_INST"}]} for s in admin_plugins],
            "LAST_UPDATE_TIME": "2026-08-01 09:00:00.000001",
            "URL": "admin-" + SECRET_MARK + "-url",
        }
        app = {
            "NAME": "myapp_3e02d52", "TYPE": "void", "LIVE_FEED": False,
            "IS_DEEPLOYED": True, "APP_ALIAS": alias,
            "OWNER": "0x311aB2c0D9e8F7a6b5C4d3E2f1A0b9C8d7E62472",
            "DEEPLOY_SPECS": {"job_id": 66, "project_id": None, "project_name": None, "job_tags": [],
                              "nr_target_nodes": 1, "current_target_nodes": [self.node_addr],
                              "spare_nodes": [], "date_created": 1758744914.52,
                              "date_updated": 1758744914.52, "allow_replication_in_the_wild": False},
            "PLUGINS": [{
                "SIGNATURE": "CONTAINER_APP_RUNNER",
                "INSTANCES": [{
                    "INSTANCE_ID": "CONTAINER_APP_2f710e", "IMAGE": "tvitalii/ratio1-drive", "CR": "docker.io",
                    "CR_USER": "simuser", "CR_PASSWORD": self.secrets["CR_PASSWORD"],
                    "PORT": 3333, "CONTAINER_RESOURCES": {"cpu": 1, "memory": "128m"},
                    "RESTART_POLICY": "always", "IMAGE_PULL_POLICY": "always",
                    "TUNNEL_ENGINE": "cloudflare", "CLOUDFLARE_TOKEN": self.secrets["CLOUDFLARE_TOKEN"],
                    "ENV": {"API_KEY": self.secrets["ENV_API_KEY"], "MODE": "prod"},
                    "CHAINSTORE_RESPONSE_KEY": "resp_key_1", "CHAINSTORE_PEERS": [self.node_addr],
                }],
            }],
            "TIME": "2025-09-24 20:15:14.563115",
            "LAST_UPDATE_TIME": "2025-09-24 20:15:15.001234",
            "SESSION_ID": "deeploy-sim", "INITIATOR_ID": "r1s-01",
            "INITIATOR_ADDR": "0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if",
        }
        worker = {
            "NAME": "webwork_a1b2c3d", "TYPE": "void", "IS_DEEPLOYED": True, "APP_ALIAS": "webwork",
            "OWNER": "0x311aB2c0D9e8F7a6b5C4d3E2f1A0b9C8d7E62472",
            "DEEPLOY_SPECS": {"job_id": 67, "nr_target_nodes": 1, "current_target_nodes": [self.node_addr]},
            "PLUGINS": [{
                "SIGNATURE": "WORKER_APP_RUNNER",
                "INSTANCES": [{
                    "INSTANCE_ID": "WORKER_APP_9c8d7e", "IMAGE": "node:22", "PORT": 8080,
                    "VCS_DATA": {"PROVIDER": "github", "USERNAME": "sim", "TOKEN": self.secrets["VCS_TOKEN"],
                                 "REPO_URL": "https://github.com/example/webwork"},
                    "BUILD_AND_RUN_COMMANDS": ["npm ci", "npm start"],
                }],
            }],
            "LAST_UPDATE_TIME": "2025-10-02 08:00:00.000000",
        }
        return {"admin_pipeline": admin, "myapp_3e02d52": app, "webwork_a1b2c3d": worker}

    def write_files(self, history=True):
        if not self.state_dir:
            return
        data = os.path.join(self.state_dir, "_data")
        streams = os.path.join(data, "box_configuration", "streams")
        os.makedirs(streams, exist_ok=True)

        def put(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)

        info = json.dumps(self.local_info(), indent=2, ensure_ascii=False)
        if self.fault == "files-truncated":
            info = info[:len(info) // 2]
        put(os.path.join(data, "local_info.json"), info)
        if history:
            put(os.path.join(data, "local_history.json"), json.dumps(self.history(), ensure_ascii=False))
            for name, d in self.streams().items():
                put(os.path.join(streams, name + ".json"), json.dumps(d, sort_keys=True, indent=4, ensure_ascii=False))
            with open(os.path.join(self.state_dir, "authorized_addrs"), "w") as f:
                f.write("0xai_AthDPWc_k3BKJLLYTQMw--Rjhe3B6_7w76jlRpT6nDeX  ops-laptop\n")
        if self.fault == "files-stale":
            old = time.time() - 3600
            for fn in ("local_info.json", "local_history.json"):
                os.utime(os.path.join(data, fn), (old, old))

    def file_refresher(self):
        last_hist = time.time()
        while True:
            time.sleep(10)
            with self.lock:
                if self.fault in ("files-stale", "files-truncated"):
                    continue
                hist = time.time() - last_hist >= 300
                if hist:
                    last_hist = time.time()
                try:
                    self.write_files(history=hist)
                except OSError as e:
                    sys.stderr.write("r1sim: cannot write node files: %s\n" % e)

    def info(self):
        cur = self.current_epoch()
        lic = self.license
        lo, hi = lic["lastClaimEpoch"], cur - 1
        vals = {str(e): self.avail(e) for e in range(lo, hi + 1)}
        total = sum(ND_MAX_RELEASE_PER_DAY * v // 255 for v in vals.values())
        cap = lic["totalAssignedAmount"] - lic["totalClaimedAmount"]
        return {
            "network": self.network, "genesis": self.genesis, "epoch_length": self.epoch_len,
            "current_epoch": cur, "last_synced_epoch": cur - 1,
            "signer": self.signer.address, "signer_eth": self.signer.eth_address,
            "node": {"address": self.node_addr, "eth_address": self.node_eth, "alias": self.alias(),
                     "version_long": self.node_version_long, "uptime_s": self.uptime_s},
            "license": lic, "claim_range_vals": vals,
            "poa_claimable_wei": str(min(total, cap)), "poa_capped": total > cap,
            "secrets": list(self.secrets.values()) + ["admin-" + SECRET_MARK + "-url"],
            "fault": self.fault, "fault_path": self.fault_path,
        }


# ---------------------------------------------------------------------------------------
# Concurrency probe (found-defects D15: r1top started every poll at once, with no cap): how
# many API requests (not /_sim/) were being served at once, at most, reported by /_sim/info as
# "max_concurrent". With --delay-ms every API request first waits that long, so the requests a
# client has in flight overlap here. A request is counted from its arrival until just before
# its answer is written, so the client never has an answer while it is still counted.

class Concurrency:
    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.max = 0
        self.total = 0
        self.delay_s = 0.0
        self.batch_times = []   # when each multi_node_epochs_range POST arrived (the last 200)

    def hold(self, path=""):
        """one API request arrives: count it, wait --delay-ms, uncount it"""
        with self.lock:
            self.now += 1
            self.total += 1
            if path == "/multi_node_epochs_range":
                # the fleet issue's spreading check: batches of one refresh must not arrive together
                self.batch_times = (self.batch_times + [round(time.monotonic(), 3)])[-200:]
            self.max = max(self.max, self.now)
        try:
            if self.delay_s > 0:
                time.sleep(self.delay_s)
        finally:
            with self.lock:
                self.now -= 1

    def info(self):
        with self.lock:
            return {"max_concurrent": self.max, "requests": self.total, "batch_times": self.batch_times,
                    "delay_ms": int(self.delay_s * 1000)}


CONCURRENCY = Concurrency()


# ---------------------------------------------------------------------------------------
# HTTP

def _bool(s):
    return str(s).strip().lower() in ("1", "true", "yes", "on")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "uvicorn"
    sys_version = ""
    world: World = None

    def log_message(self, fmt, *a):  # noqa: N802
        if self.world.args.verbose:
            sys.stderr.write("r1sim: %s %s\n" % (self.address_string(), fmt % a))

    # -- writing helpers --
    def _send(self, code, body: bytes, ctype="application/json", length=True, close=False):
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("access-control-allow-origin", "*")
            if length:
                self.send_header("Content-Length", str(len(body)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _json(self, code, obj):
        self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    def do_GET(self):  # noqa: N802
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")

    def _handle(self, method):
        w = self.world
        u = urllib.parse.urlsplit(self.path)
        path = u.path
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query, keep_blank_values=True).items()}
        body = b""
        if method == "POST":
            try:
                n = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                n = 0
            body = self.rfile.read(min(n, 1 << 20)) if n > 0 else b""

        if path.startswith("/_sim/"):
            return self._control(path, q)
        CONCURRENCY.hold(path)  # D15 probe, see Concurrency

        with w.lock:
            fault = w.fault
            fpath = w.fault_path
        if fault not in HTTP_FAULTS or (fpath and not any(path.startswith(x) for x in fpath.split(",") if x)):
            fault = None

        if fault == "slow":
            time.sleep(30)
        if fault == "http500":
            return self._json(500, {"detail": "Internal Server Error"})
        if fault == "garbage":
            # fixed bytes (seeded), so a run that fails can be repeated
            rnd = random.Random(0x5EED)
            junk = (b"\x1b[2J\x1b]0;pwned\x07\x1b[31m" + bytes(rnd.randrange(256) for _ in range(700))
                    + b"\x00\xff\xfe{\"result\":\x1b[0m" + bytes(rnd.randrange(256) for _ in range(300)))
            return self._send(200, junk)
        if fault in ("oversized", "oversized-nolen"):
            return self._oversized(with_length=(fault == "oversized"))
        if fault == "redirect":
            code, obj = self._route(method, path, q, body, None)
            payload = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:9/moved" + path)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None

        try:
            code, obj = self._route(method, path, q, body, fault)
        except Exception as e:  # noqa: BLE001 (FastAPI turns exceptions into 500s)
            sys.stderr.write("r1sim: %s %s: %r\n" % (method, path, e))
            code, obj = 500, {"detail": "Internal Server Error"}
        payload = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        if fault == "truncated" and code == 200:
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[:len(payload) // 2])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return None
        return self._send(code, payload)

    def _oversized(self, with_length):
        size = 64 << 20
        head = b'{"result":{"pad":"'
        tail = b'"}}'
        chunk = b"A" * 65536
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if with_length:
                self.send_header("Content-Length", str(size))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(head)
            left = size - len(head) - len(tail)
            while left > 0:
                n = min(left, len(chunk))
                self.wfile.write(chunk[:n])
                left -= n
            self.wfile.write(tail)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        self.close_connection = True

    def _control(self, path, q):
        w = self.world
        if path == "/_sim/fault":
            mode = q.get("mode", "none")
            if mode in ("", "none", "off"):
                mode = None
            if mode is not None and mode not in HTTP_FAULTS + FILE_FAULTS:
                return self._json(400, {"error": "unknown fault %r" % mode})
            with w.lock:
                w.fault = mode
                w.fault_path = q.get("path") or None
                try:
                    w.write_files()
                except OSError:
                    pass
            return self._json(200, {"fault": w.fault, "path": w.fault_path})
        if path == "/_sim/info":
            with w.lock:
                info = w.info()
            info.update(CONCURRENCY.info())
            return self._json(200, info)
        return self._json(404, {"detail": "Not Found"})

    def _route(self, method, path, q, body, fault):
        w = self.world
        get_routes = ("/current_epoch", "/node_last_epoch", "/node_epochs_range", "/node_epoch",
                      "/node_epochs", "/nodes_list", "/active_nodes_list")
        if path in get_routes and method != "GET" or path == "/multi_node_epochs_range" and method != "POST":
            return 405, {"detail": "Method Not Allowed"}

        def missing(name, where="query"):
            return 422, {"detail": [{"loc": [where, name], "msg": "field required", "type": "value_error.missing"}]}

        def int_param(name):
            try:
                return int(q[name])
            except ValueError:
                raise _Unprocessable(name)

        def node_eth():
            if q.get("eth_node_addr"):
                return q["eth_node_addr"]
            if q.get("node_addr"):
                a = q["node_addr"]
                if a == w.node_addr:
                    return w.node_eth
                try:
                    return pub_to_eth(addr_to_pub(a))
                except Exception:  # noqa: BLE001
                    return "0x" + "0" * 40
            raise ValueError("Please provide either `eth_node_addr` or `node_addr`")

        try:
            if path == "/current_epoch":
                return 200, w.respond({"current_epoch": w.current_epoch()}, fault)
            if path == "/node_epochs_range":
                for p in ("start_epoch", "end_epoch"):
                    if p not in q:
                        return missing(p)
                blk = w.node_epochs_block(node_eth(), int_param("start_epoch"), int_param("end_epoch"),
                                          _bool(q.get("include_bc_info", "false")))
                return 200, w.respond(blk, fault)
            if path == "/node_epochs":
                blk = w.node_epochs_block(node_eth(), 1, w.last_synced_epoch(),
                                          _bool(q.get("include_bc_info", "false")))
                return 200, w.respond(blk, fault)
            if path in ("/node_last_epoch", "/node_epoch"):
                if path == "/node_epoch":
                    if "epoch" not in q:
                        return missing("epoch")
                    ep = int_param("epoch")
                    keys = ("epoch_id", "epoch_val", "epoch_prc")
                else:
                    ep = w.last_synced_epoch()
                    keys = ("last_epoch_id", "last_epoch_val", "last_epoch_prc")
                blk = w.node_epochs_block(node_eth(), ep, ep, _bool(q.get("include_bc_info", "false")))
                if blk.get("epochs_vals"):
                    v = blk["epochs_vals"][0]
                    blk = {keys[0]: ep, keys[1]: v, keys[2]: round(v / 255, 4), **blk}
                return 200, w.respond(blk, fault)
            if path == "/multi_node_epochs_range":
                try:
                    req = json.loads(body or b"null")
                except ValueError:
                    return 422, {"detail": [{"loc": ["body"], "msg": "invalid JSON", "type": "value_error.jsondecode"}]}
                if not isinstance(req, dict) or "dct_eth_nodes_request" not in req:
                    return missing("dct_eth_nodes_request", "body")
                dct = req["dct_eth_nodes_request"]
                inc = bool(req.get("include_bc_info", False))
                if not isinstance(dct, dict) or not dct:
                    raise ValueError("Please provide a non-empty dictionary with node addresses and epochs.")
                t0 = time.time()
                res = {}
                for eth, ep in dct.items():
                    if not isinstance(ep, list) or len(ep) != 2 or not all(isinstance(x, int) for x in ep):
                        raise ValueError("Invalid epochs for node %s" % eth)
                    if ep[0] > ep[1]:
                        raise ValueError("Start epoch is greater than end epoch")
                    res[eth] = w.node_epochs_block(eth, ep[0], ep[1], inc)
                res["query_time"] = time.time() - t0
                return 200, w.respond(res, fault)
            if path in ("/nodes_list", "/active_nodes_list"):
                cur = w.current_epoch()
                stats = {
                    "eth_addr": w.node_eth, "alias": w.alias(), "ver": w.node_version_long,
                    "last_state": utc_str(time.time() - 4), "last_seen_ago": "0:00:04", "is_online": True,
                    "non_zero": 120, "overall_availability": 0.93, "score": 28700,
                    "first_check": utc_str(w.genesis), "last_check": utc_str(time.time()),
                    "tags": ["CT:RO", "REG:EU", "DC:sim-dc"], "resources": w.resources(),
                    "current_epoch": {"id": cur, "nr_hb": 123, "1st_hb": utc_str(time.time() - 3600),
                                      "last_hb": utc_str(time.time() - 4)},
                    "recent_history": {"last_10_ep": repr({e: w.avail(e) for e in range(cur - 10, cur)}),
                                       "last_epoch_id": cur - 1, "last_epoch_avail": w.avail(cur - 1)},
                }
                if path == "/nodes_list":
                    return 200, w.respond({"nodes": {w.node_addr: stats, "error": None}}, fault)
                return 200, w.respond({
                    "error": None, "nodes_total_items": 1, "nodes_total_pages": 1,
                    "nodes_items_per_page": int(q.get("items_per_page", 10)), "nodes_page": 1,
                    "nodes": {w.node_addr: stats},
                    "resources_total": {"mem_total": 62.7, "mem_avail": 41.2, "cpu_cores": 16,
                                        "cpu_cores_avail": 11.5, "disk_total": 937.8, "disk_avail": 612.4,
                                        "default_cuda": {"cuda:0": 1}},
                    "query_time": 0.01}, fault)
        except _Unprocessable as e:
            return 422, {"detail": [{"loc": ["query", str(e)], "msg": "value is not a valid integer",
                                     "type": "type_error.integer"}]}
        except ValueError as e:
            sys.stderr.write("r1sim: %s: %s\n" % (path, e))
            return 500, {"detail": "Internal Server Error"}
        return 404, {"detail": "Not Found"}


class _Unprocessable(Exception):
    pass


# ---------------------------------------------------------------------------------------
# Self tests

def selftest_http():
    """Start the server in-process and check what it serves, faults included. Returns failures."""
    import tempfile
    import urllib.request
    import urllib.error
    import http.client
    failures = 0

    def check(name, cond, detail=""):
        nonlocal failures
        print("%s - http: %s%s" % ("ok" if cond else "not ok", name, (" # " + detail) if detail and not cond else ""))
        failures += 0 if cond else 1

    tmp = tempfile.mkdtemp(prefix="r1sim-selftest.")
    args = make_parser().parse_args(["--state-dir", tmp])
    w = World(args)
    w.write_files()
    Handler.world = w
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    eth = w.node_eth

    def get(path, data=None):
        req = urllib.request.Request(base + path, data=data,
                                     headers={"Content-Type": "application/json"} if data else {})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()

    try:
        _, b = get("/current_epoch")
        res = json.loads(b)["result"]
        check("current_epoch signed (v2)", verify_message(res)[0] and res["SIGN_CANON_V"] == "v2")
        check("current_epoch value", res["current_epoch"] == w.current_epoch())
        check("signer is EE_SENDER", res["EE_SENDER"] == w.signer.address)

        _, b = get("/node_last_epoch?eth_node_addr=%s&include_bc_info=true" % eth)
        res = json.loads(b)["result"]
        check("node_last_epoch verifies", verify_message(res)[0], verify_message(res)[1])
        lic = res["node_license_info"]
        check("licence big integer kept exact", lic["totalAssignedAmount"] == 1575188843457943924600
              and b"1575188843457943924600" in b)
        check("misspelt duplicate licence key", res["node_licese_info"] == lic)
        sig = bytes.fromhex(res["eth_signatures"][0][2:])
        dg = availability_digest(eth, res["from_epoch"], res["to_epoch"],
                                 bytes.fromhex(res["packed_availabilities"][2:]))
        check("availability eth signature recovers to eth_addresses[0]",
              eth_recover_digest(dg, sig) == res["eth_addresses"][0] == w.signer.eth_address)

        cur = w.current_epoch()
        _, b = get("/node_epochs_range?eth_node_addr=%s&start_epoch=%d&end_epoch=%d" % (eth, cur - 7, cur - 1))
        res = json.loads(b)["result"]
        check("range 7 epochs, some < 255", len(res["epochs_vals"]) == 7 and min(res["epochs_vals"]) < 255)
        check("packed matches vals", res["packed_availabilities"] == "0x" + bytes(res["epochs_vals"]).hex())
        check("range without bc info has null licence", res["node_license_info"] is None)

        _, b = get("/node_epochs_range?eth_node_addr=%s&start_epoch=%d&end_epoch=%d" % (eth, cur - 1, cur))
        res = json.loads(b)["result"]
        check("end > last synced -> error", "last synced" in res.get("error", ""))

        _, b = get("/node_last_epoch?eth_node_addr=0x000000000000000000000000000000000000dEaD")
        res = json.loads(b)["result"]
        check("unknown node error", res.get("error", "").startswith("[No internal node address found]:  unknown:0x"))

        body = json.dumps({"dct_eth_nodes_request": {eth: [cur - 3, cur - 1]}, "include_bc_info": True}).encode()
        _, b = get("/multi_node_epochs_range", body)
        res = json.loads(b)["result"]
        check("multi_node_epochs_range signed once", verify_message(res)[0] and eth in res and "query_time" in res)

        try:
            get("/node_epochs_range?eth_node_addr=%s" % eth)
            check("missing params -> 422", False)
        except urllib.error.HTTPError as e:
            check("missing params -> 422", e.code == 422)

        def fault(mode, path=None):
            q = "/_sim/fault?mode=%s" % mode + ("&path=%s" % path if path else "")
            get(q)

        fault("badsig")
        res = json.loads(get("/node_last_epoch?eth_node_addr=" + eth)[1])["result"]
        check("badsig fails verification", not verify_message(res)[0])
        fault("wrongsigner")
        res = json.loads(get("/current_epoch")[1])["result"]
        check("wrongsigner verifies but other sender",
              verify_message(res)[0] and res["EE_SENDER"] != w.signer.address)
        fault("unsigned")
        res = json.loads(get("/current_epoch")[1])["result"]
        check("unsigned has no EE_ fields", not any(k.startswith("EE_") for k in res))
        fault("escape")
        raw = get("/node_last_epoch?eth_node_addr=" + eth)[1]
        res = json.loads(raw)["result"]
        check("escape alias", ESCAPE in res["node_alias"] and verify_message(res)[0])
        with open(os.path.join(tmp, "_data", "local_info.json"), encoding="utf-8") as f:
            check("escape alias in local_info.json", ESCAPE in json.load(f)["alias"])
        fault("http500")
        try:
            get("/current_epoch")
            check("http500", False)
        except urllib.error.HTTPError as e:
            check("http500", e.code == 500 and json.loads(e.read()) == {"detail": "Internal Server Error"})
        fault("http500", "/node_")
        check("fault-path spares other paths", get("/current_epoch")[0] == 200)
        fault("truncated")
        try:
            get("/current_epoch")
            check("truncated", False)
        except http.client.IncompleteRead:
            check("truncated", True)
        fault("garbage")
        b = get("/current_epoch")[1]
        try:
            json.loads(b)
            check("garbage is not JSON", False)
        except ValueError:
            check("garbage is not JSON", b"\x1b" in b)
        fault("oversized")
        conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
        conn.request("GET", "/current_epoch")
        r = conn.getresponse()
        check("oversized announces 64 MiB", int(r.getheader("Content-Length")) == 64 << 20)
        r.read(1 << 20)
        conn.close()
        fault("files-truncated")
        with open(os.path.join(tmp, "_data", "local_info.json"), encoding="utf-8") as f:
            try:
                json.load(f)
                check("files-truncated", False)
            except ValueError:
                check("files-truncated", True)
        fault("files-stale")
        age = time.time() - os.path.getmtime(os.path.join(tmp, "_data", "local_info.json"))
        check("files-stale mtime 1 h old", 3500 < age < 3700)
        fault("none")
        with open(os.path.join(tmp, "_data", "local_info.json"), encoding="utf-8") as f:
            check("fault none restores files", json.load(f)["alias"] == w.node_alias)
    except Exception as e:  # noqa: BLE001
        check("no exception", False, repr(e))
    finally:
        srv.shutdown()
        srv.server_close()
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return failures


def default_vectors_dir():
    d = os.path.join(HERE, "..", "data", "vectors")
    return d if os.path.isdir(d) else None


def startup_checks(signer):
    """Cheap checks run on every start; raises AssertionError on failure."""
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    assert keccak256(b"transfer(address,uint256)")[:4].hex() == "a9059cbb"
    assert keccak256(b"getNodeLicenseDetails(address)")[:4].hex() == "292ef0d7"
    # same permutation with the SHA-3 padding must match hashlib over multi-block inputs
    for n in (0, 135, 136, 137, 300, 1000):
        blob = bytes((i * 7 + 3) & 0xFF for i in range(n))
        assert keccak256(blob, _pad=0x06) == hashlib.sha3_256(blob).digest(), n
    example = {"sender_alias": "test1", "nonce": "a14473a1", "sender_app_ver": None,
               "sender_sdk_ver": "2.6.29", "sender_core_ver": None}
    canon = canon_complex(example)
    assert canon == ('{"nonce":"a14473a1","sender_alias":"test1","sender_app_ver":null,'
                     '"sender_core_ver":null,"sender_sdk_ver":"2.6.29"}'), canon
    assert hashlib.sha256(canon.encode()).hexdigest() == \
        "e6a3f87d035b632c119cf1cacf02fcda79887fa24b3fa6355f6ec26b6c6cae70"
    assert pub_to_eth(addr_to_pub("0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty")) == \
        "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
    # our own v2 signature over a message with non-ASCII, floats and a >64-bit integer
    m = signer.sign({"a": 1.0, "b": [1e-05, 1e16, 0.1], "big": 1575188843457943924600, "s": "ș\u00e9\n/",
                     "n": None, "t": True})
    ok, why = verify_message(json.loads(json.dumps(m)))
    assert ok, why
    m["s"] = "x"
    assert not verify_message(m)[0]
    # Ethereum availability signature recovers to the signer
    d = availability_digest("0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", 400, 402, bytes([255, 250, 0]))
    sig = bytes.fromhex(signer.eth_sign_availability("0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69",
                                                     400, 402, [255, 250, 0])[2:])
    assert eth_recover_digest(d, sig) == signer.eth_address
    # and (r, s) is a valid ECDSA signature according to `cryptography` (independent check)
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big"))
    signer.pub.verify(der, d, ec.ECDSA(Prehashed(hashes.SHA256())))
    assert int.from_bytes(sig[32:64], "big") <= N // 2 and sig[64] in (27, 28)


def selftest(vectors_dir):
    failures = 0
    try:
        startup_checks(Signer())
        print("ok - startup checks (keccak, canon example, v2 sign/verify, eth recover)")
    except Exception as e:  # noqa: BLE001
        print("not ok - startup checks: %r" % e)
        failures += 1
    if not vectors_dir:
        print("not ok - no vectors directory found")
        return 1
    names = ["dauth_request_request_sdk_edge_node.json", "dauth_request_request_bad_node_edge_node.json",
             "dauth_request_good_request_edge_node.json"]
    for name in names:
        path = os.path.join(vectors_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                msg = json.load(f)
        except OSError as e:
            print("not ok - %s: %s" % (name, e))
            failures += 1
            continue
        ok, why = verify_message(msg)
        print("%s - vector %s: %s" % ("ok" if ok else "not ok", name, why))
        failures += 0 if ok else 1
        bad = dict(msg)
        bad["nonce"] = bad["nonce"][:-1] + ("0" if bad["nonce"][-1] != "0" else "1")
        ok2, why2 = verify_message(bad)
        print("%s - tampered %s rejected: %s" % ("ok" if not ok2 else "not ok", name, why2))
        failures += 0 if not ok2 else 1
    # the legacy-float NET_MON_01 vector: absent only from a --vectors folder of dAuth ones
    path = os.path.join(vectors_dir, "netmon_payload_legacy_v1_ratio1_sdk.json")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            ok, why = verify_message(json.load(f))
        print("%s - vector netmon_payload_legacy_v1 (legacy floats): %s" % ("ok" if ok else "not ok", why))
        failures += 0 if ok else 1
    failures += selftest_http()
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------

def make_parser():
    ap = argparse.ArgumentParser(description="Ratio1 oracle + node-files simulator for r1top tests")
    ap.add_argument("--state-dir", help="write node status files into DIR/_data/")
    ap.add_argument("--network", default="mainnet", choices=sorted(NETWORKS))
    ap.add_argument("--fault", default=None, choices=HTTP_FAULTS + FILE_FAULTS + ("none",))
    ap.add_argument("--fault-path", default=None, help="apply the HTTP fault only to paths with this prefix (comma-separated list)")
    ap.add_argument("--lifetime", type=float, default=300.0, help="exit by itself after S seconds")
    ap.add_argument("--key", help="PEM private key for the oracle signer (else a fresh one)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--claimed-wei", type=int, default=None, help="licence totalClaimedAmount")
    ap.add_argument("--licence-type", type=int, default=1, choices=(0, 1, 2, 3),
                    help="licenseType of the node's licence: 1 ND (default), 2 MND, 3 GND")
    ap.add_argument("--no-poai", action="store_true",
                    help="licence without usdcPoaiRewards/r1PoaiRewards, as the real oracle sends it")
    ap.add_argument("--selftest", action="store_true", help="verify the dauth vectors and exit 0/1")
    ap.add_argument("--vectors", default=None, help="vectors directory for --selftest")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--delay-ms", type=int, default=0,
                    help="wait this long before answering each API request (D15 probe: requests overlap)")
    return ap


def main(argv=None):
    ap = make_parser()
    args = ap.parse_args(argv)
    if args.fault == "none":
        args.fault = None

    if args.selftest:
        return selftest(args.vectors or default_vectors_dir())

    world = World(args)
    try:
        startup_checks(world.signer)
    except Exception as e:  # noqa: BLE001
        sys.stderr.write("r1sim: self-check failed: %r\n" % e)
        return 3

    # never outlive the test that started us
    killer = threading.Timer(max(args.lifetime, 0.1), lambda: os._exit(0))
    killer.daemon = True
    killer.start()

    if args.state_dir:
        world.write_files()
        threading.Thread(target=world.file_refresher, daemon=True).start()

    Handler.world = world
    CONCURRENCY.delay_s = max(args.delay_ms, 0) / 1000.0
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    print("SIGNER=%s" % world.signer.address)
    print("SIGNER_ETH=%s" % world.signer.eth_address)
    print("EPOCH=%d" % world.current_epoch())
    print("PORT=%d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
