import { describe, expect, it } from "vitest";
import { createProgressRenderer } from "./progress-renderer.ts";
import { createStyle } from "./style.ts";

function capture(interactive: boolean) {
  let text = "";
  const renderer = createProgressRenderer({
    out: { write: (t) => (text += t), columns: 100 },
    interactive,
    style: createStyle(false),
  });
  return { renderer, text: () => text };
}

describe("progress renderer", () => {
  it("prints one plain line per finished phase when not on a terminal", () => {
    const { renderer, text } = capture(false);
    renderer.onEvent({ type: "phase-started", phase: "detect" });
    renderer.onEvent({ type: "output", phase: "detect", line: "noise that must not show" });
    renderer.onEvent({ type: "phase-finished", phase: "detect", ms: 12, detail: "node 24 · npm" });
    renderer.onEvent({ type: "phase-started", phase: "build" });
    renderer.onEvent({
      type: "phase-failed",
      phase: "build",
      ms: 1500,
      message: "npm ci exited 1\nmore",
      logTail: [],
    });
    renderer.stop();
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ {2}✔ detect +node 24 · npm +12 ms$/);
    expect(lines[1]).toMatch(/^ {2}✖ build +npm ci exited 1 +1\.5 s$/);
    expect(text()).not.toContain("\r");
    expect(text()).not.toContain("noise");
  });

  it("draws a live line on a terminal and replaces it when the phase ends", () => {
    const { renderer, text } = capture(true);
    renderer.onEvent({ type: "phase-started", phase: "upload" });
    renderer.onEvent({ type: "progress", phase: "upload", message: "app 3 kB / 14 kB" });
    renderer.onEvent({ type: "phase-finished", phase: "upload", ms: 9, detail: "uploaded 14.2 kB" });
    renderer.stop();
    expect(text()).toContain("app 3 kB / 14 kB");
    expect(text()).toContain("\r\x1b[2K");
    expect(
      text()
        .split("\n")
        .filter((l) => l.includes("✔")),
    ).toHaveLength(1);
  });
});
