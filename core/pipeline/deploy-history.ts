import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DeployReport } from "./deploy-app.ts";

/** One line of an environment's deploy history: the report and when it finished. */
export interface DeployRecord {
  at: string;
  report: DeployReport;
}

/**
 * Deploy history lives beside the environments (`<stateDir>/history/<env>.jsonl`), so it survives
 * `destroy` and lets a deploy compare itself with the first one.
 */
export async function appendDeployRecord(request: { stateDir: string; record: DeployRecord }): Promise<void> {
  const dir = join(request.stateDir, "history");
  await mkdir(dir, { recursive: true });
  await appendFile(
    historyFile(request.stateDir, request.record.report.envName),
    JSON.stringify(request.record) + "\n",
  );
}

/** Oldest first. Lines that do not parse (a crash mid-write) are skipped, not fatal. */
export async function readDeployHistory(request: {
  stateDir: string;
  envName: string;
}): Promise<DeployRecord[]> {
  let text: string;
  try {
    text = await readFile(historyFile(request.stateDir, request.envName), "utf8");
  } catch {
    return [];
  }
  const records: DeployRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (isRecord(parsed)) records.push(parsed);
    } catch {
      // a torn last line from a crash: ignore it
    }
  }
  return records;
}

function historyFile(stateDir: string, envName: string): string {
  return join(stateDir, "history", `${envName}.jsonl`);
}

function isRecord(value: unknown): value is DeployRecord {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const report = v["report"];
  return typeof v["at"] === "string" && report !== null && typeof report === "object";
}

/** "83% faster than the first deploy (8.2 s)" figures: the first successful deploy's total, if any. */
export function firstSuccessfulTotal(records: DeployRecord[]): number | undefined {
  return records.find((r) => r.report.ok)?.report.timings.total;
}
