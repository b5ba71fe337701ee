import { renderCheckRun, type CheckRunOutput } from "../../core/report/check-run-output.ts";

/** A finished, successful deploy's check run as core/report draws it. */
export function createCheckRunOutputFixture(sha: string): CheckRunOutput {
  return renderCheckRun({
    env: "production",
    sha,
    url: "http://127.0.0.1:4100",
    redact: (text) => text,
    progress: [
      { phase: "start", state: "done", ms: 120, detail: "release 1" },
      { phase: "healthy", state: "done", ms: 80, detail: "GET /health 200" },
    ],
  });
}
