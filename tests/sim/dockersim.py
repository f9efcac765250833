#!/usr/bin/python3
# dockersim.py: a Docker Engine API simulator on a unix socket, for r1top's tests of the
# docker source (GET /containers/<name>/json) and of the actions (POST .../restart).
#
# It serves one container (the node's, "edge_node" unless --container says otherwise) with the
# payload shapes the real engine writes (API 1.43, Docker 24): the inspect object, 204 for a
# done restart/stop/start, 304 for a stop of a stopped (start of a running) container, and
# errors as {"message": "..."} (404 "No such container: x", 409, 500). A request path may carry
# a /v1.NN version prefix, as with the real engine; r1top sends none.
#
# Faults, from the command line (--fault) or at run time (GET /_sim/fault?mode=MODE):
#   biglabels  the inspect reply is over 300 KiB (thousands of labels): regression of D1, a
#              use-after-free on every reply of 256 KiB or more
#   hang       restart/stop/start are read and never answered (the client's timeout ends them)
#   404        the container does not exist: every /containers/<name>/... is a 404
#   409        restart/stop/start answer 409 Conflict (the container is marked for removal)
#   500        restart/stop/start answer 500 (the engine failed)
#   none       no fault
# Every request except /_sim/* is recorded (method, path with its query, time): GET
# /_sim/requests returns them as JSON ({"requests": [{"method", "path", "t"}...]}; add
# ?clear=1 to forget them after answering). GET /_sim/state returns the container's inspect
# object without being recorded.
#
# Python 3 standard library only. Usage:
#   dockersim.py --socket PATH [--container NAME] [--fault MODE] [--socket-mode 0660]
#                [--state running|exited] [--restart-count N] [--exit-code N] [--oom]
#                [--lifetime S] [--verbose]
#     prints "SOCKET=<path>" on stdout once listening; exits after --lifetime seconds
#   dockersim.py --socket PATH --call [METHOD] PATH
#     one request to a running simulator: prints the body, exit 0 on a 2xx answer, else 1

import argparse
import hashlib
import http.client
import json
import os
import re
import select
import signal
import socket
import socketserver
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

API_VERSION = "1.43"
ENGINE_VERSION = "24.0.7"
FAULTS = ("biglabels", "hang", "404", "409", "500")
NEVER = "0001-01-01T00:00:00Z"  # Go's zero time.Time, as the engine writes "never"


def rfc3339_nano(t_ns):
    """Go's time.RFC3339Nano in UTC: nanoseconds with the trailing zeros dropped."""
    s, ns = divmod(t_ns, 1_000_000_000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s))
    frac = ("%09d" % ns).rstrip("0")
    return base + ("." + frac if frac else "") + "Z"


class Container:
    """The one container the engine knows, as its inspect object describes it."""

    def __init__(self, name, state, restart_count, exit_code=0, oom=False):
        self.name = name
        self.id = hashlib.sha256(("r1top-dockersim:" + name).encode()).hexdigest()
        self.image_id = "sha256:" + hashlib.sha256(b"ratio1/edge_node:mainnet").hexdigest()
        now = time.time_ns()
        self.created_ns = now - 9 * 86400 * 1_000_000_000 - 123_456_789
        self.restart_count = restart_count
        self.pid = 4242
        self.exit_code = 0
        self.oom = False
        if state == "running":
            self.running = True
            # up for 5 h 3 min; an odd nanosecond part, as a real one has
            self.started_ns = now - (5 * 3600 + 180) * 1_000_000_000 - 987_654_321
            self.finished_ns = None
        else:
            self.running = False
            self.started_ns = now - 2 * 86400 * 1_000_000_000
            self.finished_ns = now - 3600 * 1_000_000_000
            self.pid = 0
            # how the last run ended (the node's codes: r1top's docs/protocol.md §7.3)
            self.exit_code = exit_code
            self.oom = oom
        self.big_labels = False

    def start(self):
        self.running = True
        self.started_ns = time.time_ns()
        self.pid += 17
        self.exit_code = 0
        self.oom = False

    def stop(self):
        self.running = False
        self.finished_ns = time.time_ns()
        self.pid = 0
        self.exit_code = 0

    def labels(self):
        labels = {
            "maintainer": "Ratio1 <support@ratio1.ai>",
            "org.opencontainers.image.source": "https://github.com/Ratio1/edge_node",
            "org.opencontainers.image.version": "2.9.123",
        }
        if self.big_labels:
            # D1: a reply of 256 KiB or more once went through freed memory; 4000 labels of
            # about 100 bytes each make the inspect about 440 KiB.
            for i in range(4000):
                labels["ai.ratio1.sim.label.%04d" % i] = ("value-%04d-" % i) + "x" * 64
        return labels

    def inspect(self):
        return {
            "Id": self.id,
            "Created": rfc3339_nano(self.created_ns),
            "Path": "/bin/sh",
            "Args": ["-c", "python3 device.py"],
            "State": {
                "Status": "running" if self.running else "exited",
                "Running": self.running,
                "Paused": False,
                "Restarting": False,
                "OOMKilled": self.oom,
                "Dead": False,
                "Pid": self.pid,
                "ExitCode": self.exit_code,
                "Error": "",
                "StartedAt": rfc3339_nano(self.started_ns),
                "FinishedAt": rfc3339_nano(self.finished_ns) if self.finished_ns else NEVER,
            },
            "Image": self.image_id,
            "ResolvConfPath": "/var/lib/docker/containers/%s/resolv.conf" % self.id,
            "HostnamePath": "/var/lib/docker/containers/%s/hostname" % self.id,
            "HostsPath": "/var/lib/docker/containers/%s/hosts" % self.id,
            "LogPath": "/var/lib/docker/containers/%s/%s-json.log" % (self.id, self.id),
            "Name": "/" + self.name,
            "RestartCount": self.restart_count,
            "Driver": "overlay2",
            "Platform": "linux",
            "MountLabel": "",
            "ProcessLabel": "",
            "AppArmorProfile": "docker-default",
            "ExecIDs": None,
            "HostConfig": {
                "Binds": ["/var/cache/edge_node:/edge_node/_local_cache"],
                "NetworkMode": "default",
                "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0},
                "AutoRemove": False,
                "Privileged": False,
            },
            "Mounts": [{
                "Type": "bind",
                "Source": "/var/cache/edge_node",
                "Destination": "/edge_node/_local_cache",
                "Mode": "",
                "RW": True,
                "Propagation": "rprivate",
            }],
            "Config": {
                "Hostname": self.id[:12],
                "Domainname": "",
                "User": "",
                "Tty": False,
                "OpenStdin": False,
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "EE_ID=sim-edge-01"],
                "Cmd": ["python3", "device.py"],
                "Image": "ratio1/edge_node:mainnet",
                "WorkingDir": "/edge_node",
                "Entrypoint": None,
                "Labels": self.labels(),
            },
            "NetworkSettings": {
                "Bridge": "",
                "SandboxID": hashlib.sha256(self.id.encode()).hexdigest(),
                "Ports": {},
                "IPAddress": "172.17.0.2" if self.running else "",
                "Gateway": "172.17.0.1" if self.running else "",
                "MacAddress": "02:42:ac:11:00:02" if self.running else "",
            },
        }


class World:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.container = Container(args.container, args.state, args.restart_count,
                                   args.exit_code, args.oom)
        self.fault = None
        self.set_fault(args.fault)
        self.requests = []
        self.verbose = args.verbose

    def set_fault(self, mode):
        if mode in (None, "", "none", "off"):
            mode = None
        self.fault = mode
        self.container.big_labels = mode == "biglabels"


VERSION_PREFIX = re.compile(r"^/v1\.[0-9]+(?=/)")
CONTAINER_PATH = re.compile(r"^/containers/([^/]+)/(json|restart|stop|start)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the engine (and curl) expect
    server_version = "Docker/%s" % ENGINE_VERSION
    sys_version = "(linux)"
    world = None  # set in main()

    def address_string(self):
        # a unix peer has no host (client_address is ""), which the base class would index
        return "unix"

    def log_message(self, fmt, *args):
        if self.world.verbose:
            sys.stderr.write("dockersim: %s\n" % (fmt % args))

    # -- replies ---------------------------------------------------------------------------

    def _headers(self, code, length, ctype="application/json"):
        self.send_response(code)
        self.send_header("Api-Version", API_VERSION)
        self.send_header("Docker-Experimental", "false")
        self.send_header("Ostype", "linux")
        if length is not None:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _json(self, code, obj):
        # the engine's encoder ends every JSON document with a newline
        body = (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")
        self._headers(code, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, code, text):
        body = text.encode("utf-8")
        self._headers(code, len(body), "text/plain; charset=utf-8")
        self.wfile.write(body)

    def _empty(self, code):
        # 204 and 304 carry neither a body nor a length
        self._headers(code, None)

    def _error(self, code, message):
        self._json(code, {"message": message})

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _hang(self):
        """Read the request and never answer: wait until the client gives up and closes."""
        self.close_connection = True
        conn = self.connection
        while True:
            r, _, _ = select.select([conn], [], [], 1.0)
            if r:
                try:
                    if not conn.recv(4096):
                        return
                except OSError:
                    return

    # -- routing ---------------------------------------------------------------------------

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def _dispatch(self):
        self._read_body()
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        q = dict(urllib.parse.parse_qsl(url.query))
        w = self.world
        if path.startswith("/_sim/"):
            return self._control(path, q)
        with w.lock:
            w.requests.append({"method": self.command, "path": self.path, "t": time.time()})
            fault = w.fault
        path = VERSION_PREFIX.sub("", path)
        if path == "/_ping":
            return self._text(200, "OK")
        if path == "/version":
            return self._json(200, {"Version": ENGINE_VERSION, "ApiVersion": API_VERSION,
                                    "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"})
        m = CONTAINER_PATH.match(path)
        if not m:
            return self._error(404, "page not found")
        name, op = urllib.parse.unquote(m.group(1)), m.group(2)
        c = w.container
        if fault == "404" or name not in (c.name, "/" + c.name) and not (
                len(name) >= 1 and c.id.startswith(name)):
            return self._error(404, "No such container: %s" % name)
        want = "GET" if op == "json" else "POST"
        if self.command != want and not (want == "GET" and self.command == "HEAD"):
            return self._error(405, "method not allowed")
        if op == "json":
            with w.lock:
                obj = c.inspect()
            return self._json(200, obj)
        # restart / stop / start
        if fault == "hang":
            return self._hang()
        if fault == "409":
            return self._error(409, "Cannot %s container %s: container is marked for removal "
                                    "and cannot be started" % (op, name))
        if fault == "500":
            return self._error(500, "Cannot %s container %s: tried to kill container, but did "
                                    "not receive an exit event" % (op, name))
        with w.lock:
            if op == "restart":
                # A restart asked through the API is not counted in RestartCount: that counts
                # the restart policy's restarts only, as the real engine does.
                if c.running:
                    c.stop()
                c.start()
                return self._empty(204)
            if op == "stop":
                if not c.running:
                    return self._empty(304)
                c.stop()
                return self._empty(204)
            if c.running:
                return self._empty(304)
            c.start()
            return self._empty(204)

    def _control(self, path, q):
        w = self.world
        if path == "/_sim/fault":
            mode = q.get("mode", "none")
            if mode not in FAULTS + ("none", "off", ""):
                return self._json(400, {"error": "unknown fault %r" % mode})
            with w.lock:
                w.set_fault(mode)
                return self._json(200, {"fault": w.fault})
        if path == "/_sim/requests":
            with w.lock:
                reqs = list(w.requests)
                if q.get("clear") in ("1", "true", "yes"):
                    w.requests.clear()
            return self._json(200, {"requests": reqs})
        if path == "/_sim/state":
            with w.lock:
                return self._json(200, w.container.inspect())
        return self._json(404, {"error": "no such control path"})


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


def call(sock_path, method, path):
    conn = UnixHTTPConnection(sock_path)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        body = r.read()
    finally:
        conn.close()
    sys.stdout.write(body.decode("utf-8", "replace"))
    return 0 if 200 <= r.status < 300 else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description="Docker Engine API simulator for r1top tests")
    ap.add_argument("--socket", required=True, help="the unix socket to listen on (or to --call)")
    ap.add_argument("--container", default="edge_node")
    ap.add_argument("--fault", default=None, choices=FAULTS + ("none",))
    ap.add_argument("--socket-mode", default="0660", help="octal mode of the socket (0600: D28)")
    ap.add_argument("--state", default="running", choices=("running", "exited"))
    ap.add_argument("--restart-count", type=int, default=3)
    ap.add_argument("--exit-code", type=int, default=0, help="with --state exited: the last run's code")
    ap.add_argument("--oom", action="store_true", help="with --state exited: the kernel killed it (OOMKilled)")
    ap.add_argument("--lifetime", type=float, default=300.0, help="exit by itself after S seconds")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--call", nargs="+", metavar="ARG", help="[METHOD] PATH: one request, then exit")
    args = ap.parse_args(argv)

    if args.call:
        method, path = ("GET", args.call[0]) if len(args.call) == 1 else args.call[:2]
        try:
            return call(args.socket, method.upper(), path)
        except OSError as e:
            sys.stderr.write("dockersim: %s: %s\n" % (args.socket, e))
            return 2

    world = World(args)
    Handler.world = world
    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    srv = Server(args.socket, Handler)
    os.chmod(args.socket, int(args.socket_mode, 8))

    def bye():
        try:
            os.unlink(args.socket)
        except OSError:
            pass
        os._exit(0)

    # never outlive the test that started us
    killer = threading.Timer(max(args.lifetime, 0.1), bye)
    killer.daemon = True
    killer.start()
    signal.signal(signal.SIGTERM, lambda *_: bye())
    print("SOCKET=%s" % args.socket, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    bye()
    return 0


if __name__ == "__main__":
    sys.exit(main())
