// Bundles each GitHub Action (actions/<name>/src/main.ts) into one committed file, actions/<name>/dist/
// index.js, with the licences of what it bundles beside it. Deterministic, so CI can rebuild and diff.
import { build } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The actions that have a src/main.ts. */
export function actionNames(): string[] {
  return readdirSync(join(root, "actions")).filter((name) =>
    existsSync(join(root, "actions", name, "src", "main.ts")),
  );
}

/** Bundles one action into `outDir` (default: its dist/). */
export async function bundleAction(
  name: string,
  outDir = join(root, "actions", name, "dist"),
): Promise<void> {
  const result = await build({
    metafile: true,
    entryPoints: [join(root, "actions", name, "src", "main.ts")],
    outfile: join(outDir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    // Bundled CommonJS dependencies (the AWS SDK) call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __aetherCreateRequire } from 'node:module';\nconst require = __aetherCreateRequire(import.meta.url);",
    },
  });
  await writeFile(join(outDir, "licenses.txt"), await licenceTexts(Object.keys(result.metafile.inputs)));
}

/** The licence of every npm package whose code is in the bundle, sorted by name, each with its text. */
async function licenceTexts(inputs: string[]): Promise<string> {
  // The innermost node_modules segment names the package (nested copies are packages of their own).
  const packages = new Map<string, string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input.replaceAll("\\", "/"));
    if (match?.[1] && match[2]) packages.set(match[1], match[2]);
  }
  const sections: string[] = [];
  const byName = [...packages].sort(
    ([a, nameA], [b, nameB]) => nameA.localeCompare(nameB) || a.localeCompare(b),
  );
  for (const [path, name] of byName) {
    const dir = join(root, path);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      version?: string;
      license?: string;
    };
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? (await readFile(join(dir, file), "utf8")).trim() : "(no licence file in the package)";
    sections.push(`${name}@${manifest.version ?? "?"} (${manifest.license ?? "unknown"})\n\n${text}`);
  }
  return sections.join("\n\n" + "-".repeat(78) + "\n\n") + "\n";
}

if (import.meta.main) {
  for (const name of actionNames()) {
    await bundleAction(name);
    console.log(`bundled actions/${name}/dist/index.js`);
  }
}
