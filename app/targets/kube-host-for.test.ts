import { describe, expect, it } from "vitest";
import { DEFAULT_PREVIEW_HOST, kubeHostFor } from "./kube-host-for.ts";

const ref = (env: string, app = "web") => ({ repository: "Acme/Shop", app, env });

describe("kubeHostFor", () => {
  it("uses the repository config's default preview host and a readable default for other environments", () => {
    expect(DEFAULT_PREVIEW_HOST).toBe("pr-{number}.preview.localhost");
    const hostFor = kubeHostFor({});
    expect(hostFor(ref("pr-42"))).toBe("pr-42.preview.localhost");
    expect(hostFor(ref("production"))).toBe("web-production.shop.localhost");
  });

  it("fills the patterns' placeholders and keeps every label valid", () => {
    const hostFor = kubeHostFor({
      previewHost: "{repo}-pr-{number}.preview.example.com",
      host: "{app}.{env}.{owner}.example.com",
    });
    expect(hostFor(ref("pr-7"))).toBe("shop-pr-7.preview.example.com");
    expect(hostFor(ref("staging", "API_v2"))).toBe("api-v2.staging.acme.example.com");
    expect(hostFor(ref("production", "a".repeat(80))).split(".")[0]).toHaveLength(63);
  });
});
