import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";

/** The app's name and version for an SBOM's metadata.component: package.json when there is one, else the folder. */
export async function appIdentity(dir: string): Promise<{ name: string; version: string }> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      name?: unknown;
      version?: unknown;
    };
    return {
      name: typeof pkg.name === "string" ? pkg.name : basename(dir),
      version: typeof pkg.version === "string" ? pkg.version : "0.0.0",
    };
  } catch {
    return { name: basename(dir), version: "0.0.0" };
  }
}
