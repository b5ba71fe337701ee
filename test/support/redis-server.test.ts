import { describe, expect, it } from "vitest";
import { startRedisServer } from "./redis-server.ts";

describe("startRedisServer", () => {
  it("fails, naming the package to install, when redis-server is missing", async () => {
    await expect(startRedisServer("/nonexistent-folder")).rejects.toThrow(/apt-get install -y redis-server/);
  });
});
