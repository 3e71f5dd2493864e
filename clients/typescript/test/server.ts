// Starts a real accord_server for the tests: $ACCORD_SERVER_BIN (default
// <repo>/build/accord_server) on 127.0.0.1:0 with the bundled catalogue, and
// reads the port it logs.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is clients/typescript/dist/test/server.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** A running server. */
export interface Server {
  /** "127.0.0.1:<port>". */
  readonly address: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts accord_server with `flags` added; rejects if it logs no address within 20 s. */
export function startServer(flags: string[] = []): Promise<Server> {
  const binary = process.env["ACCORD_SERVER_BIN"] ?? resolve(repoRoot, "build/accord_server");
  const catalog = process.env["ACCORD_CATALOG"] ?? resolve(repoRoot, "data/catalogue");
  const child: ChildProcess = spawn(binary, ["--listen=127.0.0.1:0", `--catalog=${catalog}`, ...flags], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  return new Promise((resolvePromise, reject) => {
    let log = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`accord_server logged no address within 20 s:\n${log}`));
    }, 20_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`accord_server exited (${code}):\n${log}`));
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      log += chunk;
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (m?.[1] !== undefined && timer.hasRef()) {
        clearTimeout(timer);
        timer.unref();
        resolvePromise({ address: m[1], stop });
      }
    });
  });
}
