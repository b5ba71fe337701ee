#!/usr/bin/env node
// The package's `aether` bin. The CLI is TypeScript run by Node's type stripping, which needs Node 24;
// say so plainly instead of failing on syntax.
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `aether needs Node.js 24 or newer (this is ${process.version}).\n` +
      `From a checkout, run ./aether instead: it installs a pinned Node 24 into .tools/ on first use.\n`,
  );
  process.exit(1);
}
// Node keeps the stripped and compiled modules in its cache folder (NODE_COMPILE_CACHE or the temp dir):
// a warm `aether sbom` starts in about half the time.
module.enableCompileCache?.();
await import("../cli/main.ts");
