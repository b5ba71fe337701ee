import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ExitInfo } from "./release-process.ts";

/** One health probe, as the deploy stream reports it. */
export interface ProbeReport {
  attempt: number;
  status?: number;
  error?: string;
}

export type WaitHealthyResult =
  | { ok: true; probes: number }
  | { ok: false; why: "exited"; exit: ExitInfo; probes: number }
  | { ok: false; why: "timeout"; last?: string; probes: number };

const FIRST_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Probes `GET http://127.0.0.1:<port><path>` until it answers 200: every 100 ms at first, rising to every
 * 500 ms, until `timeoutMs`. Gives up at once when the process exits, instead of probing a corpse.
 */
export async function waitHealthy(request: {
  port: number;
  path: string;
  timeoutMs: number;
  exited: Promise<ExitInfo>;
  onProbe?: (probe: ProbeReport) => void;
}): Promise<WaitHealthyResult> {
  const deadline = Date.now() + request.timeoutMs;
  let exit: ExitInfo | undefined;
  void request.exited.then((info) => (exit = info));
  let interval = FIRST_INTERVAL_MS;
  let probes = 0;
  let last: string | undefined;
  for (;;) {
    if (exit) return { ok: false, why: "exited", exit, probes };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ok: false, why: "timeout", ...(last === undefined ? {} : { last }), probes };
    probes += 1;
    const answer = await probe(request.port, request.path, Math.min(PROBE_TIMEOUT_MS, remaining));
    request.onProbe?.({ attempt: probes, ...answer });
    if (answer.status === 200) return { ok: true, probes };
    // A probe cut short by the deadline says nothing about the app: keep the last real answer for the message.
    const cutShort = answer.status === undefined && remaining < PROBE_TIMEOUT_MS && last !== undefined;
    if (!cutShort) last = answer.status === undefined ? answer.error : `status ${answer.status}`;
    const pause = Math.min(interval, Math.max(0, deadline - Date.now()));
    await Promise.race([sleep(pause), request.exited]);
    interval = Math.min(MAX_INTERVAL_MS, Math.round(interval * 1.5));
  }
}

function probe(port: number, path: string, timeoutMs: number): Promise<{ status?: number; error?: string }> {
  return new Promise((answer) => {
    const request = get({ host: "127.0.0.1", port, path, agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      answer({ status: response.statusCode ?? 0 });
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) => answer({ error: describe(error) }));
  });
}

function describe(error: Error): string {
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET") return "connection reset";
  return code ?? error.message;
}
