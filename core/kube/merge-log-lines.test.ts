import { describe, expect, it } from "vitest";
import { createReorderWindow, mergeLogLines } from "./merge-log-lines.ts";

const line = (key: string, text: string) => ({ key, text });

describe("mergeLogLines", () => {
  it("orders by time and keeps the given order of equal times", () => {
    const merged = mergeLogLines([line("b", "a1"), line("a", "b1"), line("b", "a2"), line("a", "b2")]);
    expect(merged.map((l) => l.text)).toEqual(["b1", "b2", "a1", "a2"]);
  });
});

describe("createReorderWindow", () => {
  it("puts a line that arrives late inside the window back in time order", async () => {
    const out: string[] = [];
    const window = createReorderWindow<{ key: string; text: string }>({
      windowMs: 40,
      emit: (l) => out.push(l.text),
    });
    window.push(line("2", "second"));
    window.push(line("3", "third"));
    window.push(line("1", "first"));
    expect(out).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(out).toEqual(["first", "second", "third"]);
  });

  it("flush emits everything held at once, in order", () => {
    const out: string[] = [];
    const window = createReorderWindow<{ key: string; text: string }>({
      windowMs: 10_000,
      emit: (l) => out.push(l.text),
    });
    window.push(line("b", "later"));
    window.push(line("a", "earlier"));
    window.flush();
    expect(out).toEqual(["earlier", "later"]);
  });
});
