#!/usr/bin/env python3
"""fcgi_stop_race.py SOCKET PID... - a stop signal must not drop a request
already accepted (tests/integration/test_process.sh).

Connects to the workers' FastCGI socket directly (as nginx does), waits
until a worker has accepted the connection and is waiting for the request,
sends SIGQUIT (the master's retire signal) to every PID, then sends a
FastCGI GET /healthz.  Prints the response's Status line, or "dropped" when
the worker closed the connection without answering."""
import os
import signal
import socket
import struct
import sys
import time


def record(kind, content, rid=1):
    return struct.pack("!BBHHBx", 1, kind, rid, len(content), 0) + content


def pair(name, value):
    return bytes([len(name), len(value)]) + name + value


def main():
    path, pids = sys.argv[1], [int(p) for p in sys.argv[2:]]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    time.sleep(0.3)          # accepted: the worker now waits for the request
    for pid in pids:
        os.kill(pid, signal.SIGQUIT)
    time.sleep(0.3)          # the signals have landed
    params = b"".join(pair(k, v) for k, v in [
        (b"REQUEST_METHOD", b"GET"), (b"REQUEST_URI", b"/healthz"),
        (b"DOCUMENT_URI", b"/healthz"), (b"SCRIPT_NAME", b"/healthz"),
        (b"QUERY_STRING", b""), (b"SERVER_PROTOCOL", b"HTTP/1.1"),
        (b"REMOTE_ADDR", b"127.0.0.1"), (b"HTTP_HOST", b"127.0.0.1")])
    try:
        s.sendall(record(1, struct.pack("!HB5x", 1, 0)) + record(4, params)
                  + record(4, b"") + record(5, b""))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        data = b""
    for line in data.split(b"\r\n"):
        i = line.find(b"Status:")
        if i >= 0:
            print(line[i:].decode("latin-1"))
            return
    print("dropped")


main()
