import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { webhookExample } from "../../../test/support/github/webhook-example.ts";
import { eventVisibility } from "./event-visibility.ts";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function eventFile(payload: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aether-event-"));
  made.push(dir);
  const path = join(dir, "event.json");
  await writeFile(path, JSON.stringify(payload));
  return path;
}

describe("eventVisibility", () => {
  it("reads the repository's visibility from a real payload, or its private flag", async () => {
    const push = webhookExample("push");
    expect(await eventVisibility(await eventFile(push))).toBe("public");
    expect(await eventVisibility(await eventFile({ repository: { private: true } }))).toBe("private");
    expect(
      await eventVisibility(await eventFile({ repository: { visibility: "internal", private: true } })),
    ).toBe("internal");
  });

  it("knows nothing without an event, or one without a repository", async () => {
    expect(await eventVisibility(undefined)).toBeUndefined();
    expect(await eventVisibility(join(tmpdir(), "no-such-event.json"))).toBeUndefined();
    expect(await eventVisibility(await eventFile({ action: "x" }))).toBeUndefined();
  });
});
