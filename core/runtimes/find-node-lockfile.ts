import { readSourceFile, sourceFileExists } from "./read-source-file.ts";

/** Node package managers Aether builds with; yarn 2+ ("berry") installs differently from yarn 1. */
export type NodeTool = "npm" | "pnpm" | "yarn" | "yarn-berry";

/** Lockfiles in the order they win when several exist and package.json names no package manager. */
const LOCKFILES: readonly { file: string; tool: "npm" | "pnpm" | "yarn" }[] = [
  { file: "npm-shrinkwrap.json", tool: "npm" },
  { file: "package-lock.json", tool: "npm" },
  { file: "pnpm-lock.yaml", tool: "pnpm" },
  { file: "yarn.lock", tool: "yarn" },
];

/**
 * Picks the package manager from the lockfile: package-lock.json or npm-shrinkwrap.json → npm,
 * pnpm-lock.yaml → pnpm, yarn.lock → yarn (berry when the lockfile has `__metadata`). With no lockfile it
 * is npm, with a note, since versions are then resolved at build time.
 */
export async function findNodeLockfile(
  dir: string,
  packageManager: string | undefined,
): Promise<{ tool: NodeTool; lockfile?: string; notes: string[] }> {
  const present = [];
  for (const candidate of LOCKFILES) {
    if (await sourceFileExists(dir, candidate.file)) present.push(candidate);
  }
  if (present.length === 0) {
    return {
      tool: "npm",
      notes: ["no lockfile: versions are resolved at build time (commit package-lock.json)"],
    };
  }
  const named = packageManager?.split("@")[0];
  const chosen = present.find((candidate) => candidate.tool === named) ?? present[0]!;
  const notes =
    present.length > 1
      ? [`several lockfiles (${present.map((item) => item.file).join(", ")}): using ${chosen.file}`]
      : [];
  if (chosen.tool !== "yarn") return { tool: chosen.tool, lockfile: chosen.file, notes };
  const text = (await readSourceFile(dir, chosen.file)) ?? "";
  return { tool: /^__metadata:/m.test(text) ? "yarn-berry" : "yarn", lockfile: chosen.file, notes };
}
