// Test-only helpers for the core/sbom tests: schema validation with the official CycloneDX library and a
// small XML well-formedness check (the library's XML validator needs libxmljs2, which is not installed).
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { CycloneDxBom } from "./cyclonedx-types.ts";
import { LockfileError } from "./lockfile-error.ts";
import { purlWithoutQualifiers } from "./package-url.ts";
import { serializeSbomJson } from "./serialize-sbom-json.ts";

/** The real lockfiles copied from ../shared/fixtures. */
export const REAL_FIXTURES = fileURLToPath(new URL("../../test/fixtures/lockfiles/", import.meta.url));
/** The small synthetic lockfiles written for these tests (every format and edge case). */
export const SYNTHETIC_FIXTURES = fileURLToPath(
  new URL("../../test/fixtures/lockfiles/synthetic/", import.meta.url),
);

/** Schema errors for the BOM (null when valid), from @cyclonedx/cyclonedx-library's strict 1.6 validator. */
export async function schemaErrors(bom: CycloneDxBom): Promise<unknown> {
  validator ??= import("@cyclonedx/cyclonedx-library").then(
    ({ Spec, Validation }) => new Validation.JsonStrictValidator(Spec.Version.v1dot6),
  );
  // The library compiles the schema once per validator: one validator for the whole test file.
  return ((await validator).validate(serializeSbomJson(bom)) as Promise<unknown>).then((e) => e ?? null);
}

let validator: Promise<{ validate(data: string): Promise<unknown> }> | undefined;

/**
 * Checks XML for well-formedness (balanced, properly nested tags; quoted attributes; only the five
 * predefined entities) and returns the element names in document order.
 */
export function xmlElements(xml: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text))
        throw new Error(`bad entity in text: ${text.slice(0, 40)}`);
      continue;
    }
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`);
    } else {
      names.push(name!);
      if (!selfClosing) open.push(name!);
    }
  }
  if (consumed !== body.length)
    throw new Error(`unparsable XML at offset ${consumed}: ${body.slice(consumed, consumed + 40)}`);
  if (open.length > 0) throw new Error(`unclosed <${open.join("> <")}>`);
  return names;
}

/** The LockfileError `fn` throws or rejects with; fails the test otherwise. */
export async function catchLockfileError(fn: () => unknown): Promise<LockfileError> {
  let error: unknown;
  try {
    await fn();
  } catch (caught) {
    error = caught;
  }
  if (error instanceof LockfileError) return error;
  throw new Error(`expected a LockfileError, got ${String(error)}`);
}

/** The reference generator's CLI, run with the current Node. */
export const CYCLONEDX_NPM_CLI = fileURLToPath(
  new URL("../../node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js", import.meta.url),
);

/**
 * Runs `cyclonedx-npm --package-lock-only` in a fresh copy of a folder holding package.json and
 * package-lock.json (it needs no network in that mode) and returns its SBOM.
 */
export async function runCycloneDxNpm(fixtureDir: string): Promise<unknown> {
  const work = await mkdtemp(join(tmpdir(), "aether-cdx-npm-"));
  try {
    for (const name of ["package.json", "package-lock.json"])
      await copyFile(join(fixtureDir, name), join(work, name));
    const out = join(work, "bom.json");
    await promisify(execFile)(
      process.execPath,
      [CYCLONEDX_NPM_CLI, "--package-lock-only", "--output-format", "JSON", "--output-file", out],
      { cwd: work, maxBuffer: 64 * 1024 * 1024 },
    );
    return JSON.parse(await readFile(out, "utf8"));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Every purl in a CycloneDX JSON BOM, nested components included, qualifiers stripped. */
export function purlSet(bom: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (components: unknown) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Array<{ purl?: unknown; components?: unknown }>) {
      if (typeof c.purl === "string") out.add(purlWithoutQualifiers(c.purl));
      walk(c.components);
    }
  };
  walk((bom as { components?: unknown }).components);
  return out;
}
