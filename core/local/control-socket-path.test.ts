import { describe, expect, it } from "vitest";
import { controlSocketPath } from "./control-socket-path.ts";

describe("controlSocketPath", () => {
  it("uses <envDir>/control.sock when it fits a unix socket path", () => {
    expect(controlSocketPath("/home/u/app/.aether/envs/production")).toBe(
      "/home/u/app/.aether/envs/production/control.sock",
    );
  });

  it("falls back to a short, stable path in the temp folder for deep folders", () => {
    const deep = `/home/u/${"very-long-folder-name/".repeat(6)}.aether/envs/production`;
    const path = controlSocketPath(deep, "/tmp");
    expect(path).toMatch(/^\/tmp\/aether-[0-9a-f]{24}\.sock$/);
    expect(controlSocketPath(deep, "/tmp")).toBe(path);
    expect(controlSocketPath(`${deep}-2`, "/tmp")).not.toBe(path);
    expect(Buffer.byteLength(path)).toBeLessThan(104);
  });
});
