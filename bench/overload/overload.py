#!/usr/bin/env python3
"""Overload measurement for issue 9 (not a test): how much memory `threadline serve` takes when OTLP/HTTP ingest
arrives at about five times the rate the store sustains, with a given --max-queued-bytes.

1. Starts the built executable (src/Threadline/bin/Release/net10.0/threadline.dll) on a fresh data folder.
2. Closed loop with a few connections for --probe seconds: the sustainable rate S (acknowledged requests/s).
3. Open loop at 5 x S for --seconds seconds over many connections: counts 200 / 503 answers and samples the
   server's resident memory (VmRSS, and VmHWM = peak) from /proc every 100 ms.

Requests are real OTLP protobuf bodies: the captured .NET exporter body (tests/TestData/real-clients) repeated,
which protobuf reads as one request with that many resourceSpans.
Usage: bench/overload/overload.py [--max-queued-bytes N] [--connections 512] [--repeat 200] [--probe 10]
       [--seconds 20] [--factor 5]
Build first: dotnet build src/Threadline -c Release. The offered load only exceeds the bound when enough requests are
in flight at once (connections x body size > --max-queued-bytes); otherwise every request waits its turn and is taken.
Resident memory also holds the stitcher's state, which grows with every span taken: compare with --factor 1.
"""
import argparse, asyncio, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


async def post(reader, writer, port, body):
    writer.write(b"POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/x-protobuf\r\n"
                 b"Content-Length: %d\r\n\r\n" % (port, len(body)) + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return status


async def closed_loop(port, body, connections, seconds):
    done = 0
    deadline = time.monotonic() + seconds

    async def worker():
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < deadline:
            if await post(reader, writer, port, body) == 200:
                done += 1
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / seconds


async def open_loop(port, body, rate, seconds, connections, pid):
    counts = {}
    samples = []
    queue = asyncio.Queue(maxsize=connections * 4)
    stop = time.monotonic() + seconds

    async def worker():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            item = await queue.get()
            if item is None:
                break
            try:
                status = await post(reader, writer, port, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                status = "reset"
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            counts[status] = counts.get(status, 0) + 1
        writer.close()

    async def sampler():
        while time.monotonic() < stop + 1:
            samples.append(rss_kib(pid, "VmRSS"))
            await asyncio.sleep(0.1)

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    sampling = asyncio.create_task(sampler())
    sent = 0
    start = time.monotonic()
    while time.monotonic() < stop:
        due = int((time.monotonic() - start) * rate)
        while sent < due:
            try:
                queue.put_nowait(1)
                sent += 1
            except asyncio.QueueFull:
                counts["not sent (client backlog)"] = counts.get("not sent (client backlog)", 0) + 1
                sent += 1
        await asyncio.sleep(0.005)
    for _ in workers:
        await queue.put(None)
    await asyncio.gather(*workers)
    await sampling
    return counts, samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-queued-bytes", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--probe", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--factor", type=float, default=5)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()

    body = open(os.path.join(ROOT, "tests/TestData/real-clients/dotnet-otlp-http-1.bin"), "rb").read() * args.repeat
    dll = os.path.join(ROOT, "src/Threadline/bin/Release/net10.0/threadline.dll")
    data = tempfile.mkdtemp(prefix="threadline-overload-")
    command = ["dotnet", dll, "serve", "--data", data, "--api-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0"]
    if args.max_queued_bytes:
        command += ["--max-queued-bytes", str(args.max_queued_bytes)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            match = re.match(r"\s+OTLP/HTTP:\s+http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
            if "OTLP/gRPC" in line:
                break
        idle = rss_kib(server.pid, "VmRSS")
        sustainable = asyncio.run(closed_loop(port, body, 4, args.probe))
        after_probe = rss_kib(server.pid, "VmRSS")
        rate = sustainable * args.factor
        counts, samples = asyncio.run(open_loop(port, body, rate, args.seconds, args.connections, server.pid))
        peak = rss_kib(server.pid, "VmHWM")
        print(f"body {len(body)} bytes ({args.repeat} x the .NET exporter's request), "
              f"--max-queued-bytes {args.max_queued_bytes or 'default (16 MiB)'}")
        print(f"sustainable (closed loop, 4 connections): {sustainable:.0f} requests/s")
        print(f"offered: {rate:.0f} requests/s ({args.factor:g}x) for {args.seconds:g} s over {args.connections} connections")
        print(f"answers: {dict(sorted(counts.items(), key=str))}")
        print(f"RSS MiB: idle {idle / 1024:.0f}, after probe {after_probe / 1024:.0f}, during overload max "
              f"{max(samples) / 1024:.0f} / median {sorted(samples)[len(samples) // 2] / 1024:.0f}, peak (VmHWM) {peak / 1024:.0f}")
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
