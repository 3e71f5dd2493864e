"""What the Kubernetes manifests promise, simulated on loopback.

N replicas of accord_server; a client with gRPC's round_robin over all their
addresses (as over the headless Service), checking health like a readiness
probe; a rolling restart one replica at a time (SIGTERM, wait for exit 0,
start the replacement, wait until it is SERVING) while the client keeps
calling. Every call must succeed, and every replica, old and new, must have
served calls (its own grpc_server_handled_total says so).

    /usr/bin/python3 rolling_restart_test.py SERVER_BIN HEALTHCHECK_BIN CATALOGUE

Zero failures needs the server to drain before it stops: on SIGTERM, health
turns NOT_SERVING and the server keeps serving for --shutdown_drain, so that
clients that watch health (as this one does, like a readiness probe) move
their calls away first. Without that flag in the binary the test is skipped
(exit 77): without a drain a few calls racing the shutdown fail CANCELLED.
"""
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import grpc

REPLICAS = 3
CLIENT_THREADS = 4
GET = "/accord.v1.AccordService/GetAgreement"
NAME = b"agreements/my-us-reciprocal-trade-2025"
# GetAgreementRequest{name = 1: NAME} in protobuf wire form: no generated
# code needed for one string field.
REQUEST = b"\x0a" + bytes([len(NAME)]) + NAME


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    def __init__(self, server_bin, check_bin, catalogue, port, workdir, index):
        self.args = [server_bin, f"--listen=127.0.0.1:{port}", f"--catalog={catalogue}",
                     "--metrics_listen=127.0.0.1:0", "--shutdown_grace=10s",
                     "--shutdown_drain=1s"]
        self.check_bin, self.port, self.workdir, self.index = check_bin, port, workdir, index
        self.generation = 0

    def start(self):
        self.generation += 1
        self.log_path = f"{self.workdir}/replica{self.index}-{self.generation}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.args, stderr=self.log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # readiness: health SERVING
            check = subprocess.run([self.check_bin, "--service=accord.v1.AccordService",
                                    f"127.0.0.1:{self.port}"], capture_output=True)
            if check.returncode == 0:
                text = open(self.log_path).read()
                self.metrics_port = int(re.search(r"metrics on http://[0-9.]+:(\d+)", text)[1])
                return
            time.sleep(0.1)
        raise RuntimeError(f"replica {self.index} never became ready")

    def served(self):
        body = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics").read()
        m = re.search(rb'^grpc_server_handled_total\{grpc_code="OK",grpc_method="GetAgreement"'
                      rb'[^}]*\} (\d+)', body, re.M)
        return int(m[1]) if m else 0

    def stop(self):
        self.process.send_signal(15)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


def main():
    server_bin, check_bin, catalogue = sys.argv[1:4]
    flags = subprocess.run([server_bin, "--helpfull"], capture_output=True, text=True)
    if "--shutdown_drain" not in flags.stdout + flags.stderr:
        print("SKIP: accord_server has no --shutdown_drain (graceful drain, issue 10)")
        sys.exit(77)
    workdir = tempfile.mkdtemp()
    replicas = [Replica(server_bin, check_bin, catalogue, free_port(), workdir, i)
                for i in range(REPLICAS)]
    for r in replicas:
        r.start()
    target = "ipv4:" + ",".join(f"127.0.0.1:{r.port}" for r in replicas)
    # What docs/deploy.md recommends to clients: round_robin, health
    # checking, and a retry of UNAVAILABLE (a call refused while a replica
    # drains was never executed, and Gets are idempotent anyway).
    service_config = json.dumps({
        "loadBalancingConfig": [{"round_robin": {}}],
        "healthCheckConfig": {"serviceName": "accord.v1.AccordService"},
        "methodConfig": [{
            "name": [{"service": "accord.v1.AccordService"}],
            "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.05s", "maxBackoff": "0.5s",
                            "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]},
        }],
    })
    channel = grpc.insecure_channel(target, options=[("grpc.service_config", service_config),
                                                     ("grpc.enable_retries", 1)])
    get = channel.unary_unary(GET)
    stop = threading.Event()
    ok, failures, lock = [0], [], threading.Lock()

    def client():
        while not stop.is_set():
            try:
                reply = get(REQUEST, timeout=5)
                assert NAME in reply
                with lock:
                    ok[0] += 1
            except grpc.RpcError as e:
                with lock:
                    failures.append(f"{e.code()}: {e.details()}")

    threads = [threading.Thread(target=client) for _ in range(CLIENT_THREADS)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        before = [r.served() for r in replicas]
        print(f"before the restart, calls per replica: {before}")
        if min(before) == 0:
            raise AssertionError(f"round_robin did not reach every replica: {before}")
        for r in replicas:
            code = r.stop()
            print(f"replica {r.index}: SIGTERM, exit {code}; calls so far ok={ok[0]}")
            if code != 0:
                raise AssertionError(f"replica {r.index} exited {code} on SIGTERM")
            r.start()
            print(f"replica {r.index}: replacement SERVING")
            time.sleep(1.0)
        time.sleep(1.0)
        after = [r.served() for r in replicas]
        print(f"after the restart, calls per new replica: {after}")
    finally:
        stop.set()
        for t in threads:
            t.join()
        for r in replicas:
            if r.process.poll() is None:
                r.stop()
    print(f"{ok[0]} calls OK, {len(failures)} failed")
    if failures:
        print("\n".join(sorted(set(failures))))
        raise AssertionError(f"{len(failures)} calls failed during the rolling restart")
    if min(after) == 0:
        raise AssertionError(f"a replacement replica served no call: {after}")
    print("rolling restart: OK")


if __name__ == "__main__":
    main()
