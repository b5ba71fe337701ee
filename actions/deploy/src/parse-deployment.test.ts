import { describe, expect, it } from "vitest";
import { parseDeployment } from "./parse-deployment.ts";

describe("parseDeployment", () => {
  it("reads the app's answer, keeping the id it already knows for a GET", () => {
    expect(parseDeployment({ id: 7, state: "queued" }, "POST x")).toEqual({ id: "7", state: "queued" });
    expect(
      parseDeployment({ id: "d", statusUrl: "https://a/api/v1/deployments/d" }, "POST x", {
        state: "queued",
      }),
    ).toEqual({
      id: "d",
      state: "queued",
    });
    expect(
      parseDeployment({ state: "success", url: "https://a.dev", message: "" }, "GET x", { id: "7" }),
    ).toEqual({
      id: "7",
      state: "success",
      url: "https://a.dev",
    });
  });

  it("says what was wrong with an answer that is not a deployment", () => {
    expect(() => parseDeployment("<html>", "POST http://a/api/v1/deployments")).toThrow(
      "POST http://a/api/v1/deployments: the Aether app answered something other than a JSON object; is app-url an Aether app?",
    );
    expect(() => parseDeployment({ state: "queued" }, "POST x")).toThrow(/without a deployment id/);
    expect(() => parseDeployment({ id: "1", state: "done" }, "GET x")).toThrow(
      /with state "done" \(expected one of queued, in_progress, success, failure\)/,
    );
  });
});
