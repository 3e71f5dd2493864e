"""Checks rendered Accord manifests against the real binaries.

    python check_manifests.py RENDERED.yaml SERVER_BIN HEALTHCHECK_BIN CATALOGUE

For the Deployment's container it
  * starts accord_server with exactly the manifest's args (only paths inside
    the image are mapped to local ones, and ports to free loopback ports), so
    an unknown flag or a bad value fails here as it would in the pod;
  * checks that the container ports are the ports in --listen and
    --metrics_listen, and that every probe targets the gRPC port;
  * runs each probe as the kubelet would: a native gRPC probe as a
    grpc.health.v1 Check of its `service` (empty: the whole server), an exec
    probe as its command; each must pass;
  * checks the Services' target ports name container ports.
Certificates for --tls_* files are made on the fly (a CA, a server
certificate for the probe's --tls_server_name, a client certificate).
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import yaml


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certs(directory, server_name):
    def run(*args):
        subprocess.run(args, check=True, cwd=directory, capture_output=True)

    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=accord-test-ca", "-keyout", "ca.key", "-out", "ca.crt")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={server_name}",
        "-keyout", "tls.key", "-out", "tls.csr")
    with open(os.path.join(directory, "tls.ext"), "w") as f:
        f.write(f"subjectAltName=DNS:{server_name}\n")
    run("openssl", "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "1", "-extfile", "tls.ext", "-out", "tls.crt")


def main():
    rendered, server_bin, check_bin, catalogue = sys.argv[1:5]
    docs = [d for d in yaml.safe_load_all(open(rendered)) if d]
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    if len(deployments) != 1:
        fail(f"want one Deployment, got {len(deployments)}")
    pod = deployments[0]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    args = container["args"]
    flags = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in args)

    def port_of(flag):
        return int(flags[flag].rsplit(":", 1)[1])

    if port_of("listen") != ports["grpc"]:
        fail(f"--listen port {port_of('listen')} is not containerPort grpc {ports['grpc']}")
    if "metrics_listen" in flags and port_of("metrics_listen") != ports["metrics"]:
        fail("--metrics_listen port is not containerPort metrics")
    for service in (d for d in docs if d["kind"] == "Service"):
        for p in service["spec"]["ports"]:
            if p["targetPort"] not in ports:
                fail(f"Service {service['metadata']['name']} targets unknown port {p['targetPort']}")
    probes = {k: container[k] for k in ("startupProbe", "readinessProbe", "livenessProbe")
              if k in container}
    if len(probes) != 3:
        fail(f"want startup, readiness and liveness probes, got {sorted(probes)}")

    work = tempfile.mkdtemp()
    grpc_port, metrics_port = free_port(), free_port()
    # Paths inside the image -> local paths.
    server_name = "localhost"
    for probe in probes.values():
        for a in probe.get("exec", {}).get("command", []):
            if a.startswith("--tls_server_name="):
                server_name = a.split("=", 1)[1]
    if any(a.startswith("--tls_") for a in args):
        make_certs(work, server_name)

    def local(a):
        a = a.replace("/etc/accord/tls/", work + "/")
        a = re.sub(r"^--catalog=.*", f"--catalog={catalogue}", a)
        a = re.sub(r"^--listen=.*", f"--listen=127.0.0.1:{grpc_port}", a)
        a = re.sub(r"^--metrics_listen=.*", f"--metrics_listen=127.0.0.1:{metrics_port}", a)
        a = a.replace(f"127.0.0.1:{ports['grpc']}", f"127.0.0.1:{grpc_port}")
        return a.replace("/usr/local/bin/accord_healthcheck", check_bin)

    log = open(os.path.join(work, "server.log"), "w+")
    server = subprocess.Popen([server_bin] + [local(a) for a in args], stderr=log)
    try:
        for _ in range(100):
            if server.poll() is not None:
                log.seek(0)
                fail(f"accord_server refused the manifest's args {args}:\n{log.read()}")
            log.seek(0)
            if "listening on" in log.read():
                break
            time.sleep(0.1)
        else:
            fail("accord_server did not start")
        for name, probe in probes.items():
            if "grpc" in probe:
                if probe["grpc"]["port"] != ports["grpc"]:
                    fail(f"{name} targets port {probe['grpc']['port']}, not the gRPC port")
                command = [check_bin, f"--service={probe['grpc'].get('service', '')}",
                           f"127.0.0.1:{grpc_port}"]
            elif "exec" in probe:
                command = [local(a) for a in probe["exec"]["command"]]
            else:
                fail(f"{name}: neither grpc nor exec")
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0 or result.stdout.strip() != "SERVING":
                fail(f"{name} {command}: {result.stdout}{result.stderr}")
            print(f"{name}: SERVING")
        if "metrics_listen" in flags:
            import urllib.request
            body = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics").read()
            if b"accord_catalog_info" not in body:
                fail("the metrics port serves no accord metrics")
    finally:
        server.terminate()
        code = server.wait(timeout=30)
    if code != 0:
        fail(f"accord_server exited {code} on SIGTERM")
    print(f"{rendered}: args, ports and probes match the binary")


if __name__ == "__main__":
    main()
