// Checks the package version against VERSION, then generates gen/ from the repository's proto/ with buf and the local
// protoc-gen-es plugin (buf.gen.yaml). Generated code is never committed.
//
// The protos are copied into a temporary directory first, so that buf sees
// them as one plain module: the repository's buf.yaml excludes proto/google
// from lint, but the client needs google.rpc.ErrorInfo and BadRequest.
// google/rpc and google/api come from proto/ when it holds them, else from a
// googleapis directory: $ACCORD_GOOGLEAPIS_DIR, else <repo>/build/googleapis,
// which proto/googleapis/fetch.py fills (it is run here when that directory
// lacks google/rpc and the script exists).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const protoDir = resolve(pkg, "../../proto");

// One version for every client: the repository's VERSION file, when there
// is one, must match package.json's.
const versionFile = resolve(pkg, "../../VERSION");
if (existsSync(versionFile)) {
  const want = readFileSync(versionFile, "utf8").trim();
  const have = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version;
  if (want !== have) {
    throw new Error(`package.json version ${have} differs from VERSION ${want}; run: npm version --no-git-tag-version ${want}`);
  }
}
const work = mkdtempSync(join(tmpdir(), "accord-ts-gen-"));
try {
  cpSync(join(protoDir, "accord"), join(work, "accord"), { recursive: true });
  const repo = resolve(pkg, "../..");
  let googleapis = process.env.ACCORD_GOOGLEAPIS_DIR;
  if (!googleapis && !existsSync(join(protoDir, "google/rpc"))) {
    googleapis = join(repo, "build/googleapis");
    const fetch = join(protoDir, "googleapis/fetch.py");
    if (!existsSync(join(googleapis, "google/rpc/error_details.proto")) && existsSync(fetch)) {
      execFileSync("python3", [fetch, googleapis], { stdio: "inherit" });
    }
  }
  for (const sub of ["google/rpc", "google/api"]) {
    const local = join(protoDir, sub);
    if (existsSync(local)) {
      cpSync(local, join(work, sub), { recursive: true });
    } else if (googleapis && existsSync(join(googleapis, sub))) {
      cpSync(join(googleapis, sub), join(work, sub), {
        recursive: true,
        filter: (src) => !src.endsWith(".yaml") && !src.endsWith(".json"),
      });
    }
  }
  if (!existsSync(join(work, "google/rpc/error_details.proto"))) {
    throw new Error(
      "google/rpc/error_details.proto not found: neither proto/google/rpc " +
        "nor $ACCORD_GOOGLEAPIS_DIR/google/rpc holds it",
    );
  }
  const buf = join(pkg, "node_modules/.bin/buf");
  execFileSync(buf, ["generate", work, "--template", join(pkg, "buf.gen.yaml")], {
    cwd: pkg,
    stdio: "inherit",
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
