import { createHmac, timingSafeEqual } from "node:crypto";
import { Webhooks } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import { signedDelivery } from "../support/github/signed-delivery.ts";
import { webhookExample } from "../support/github/webhook-example.ts";

describe("webhook deliveries", () => {
  it("picks a real example by event and action and merges overrides deeply", () => {
    const payload = webhookExample("issue_comment", "created", {
      comment: { body: "/deploy to production" },
    });
    expect(payload.action).toBe("created");
    expect(payload.comment).toMatchObject({
      body: "/deploy to production",
      user: { login: expect.any(String) },
    });
    expect(payload.repository).toMatchObject({ full_name: expect.any(String) });
    expect(webhookExample("issue_comment", "created").comment).not.toMatchObject({
      body: "/deploy to production",
    });
    expect(() => webhookExample("pull_request", "teleported")).toThrow(
      /no "pull_request" example with action "teleported"/,
    );
    expect(() => webhookExample("nope")).toThrow(/no "nope" event/);
  });

  it("signs a delivery that @octokit/webhooks verifies, and a wrong secret does not", async () => {
    const payload = webhookExample("pull_request", "opened");
    const delivery = signedDelivery({ event: "pull_request", payload, secret: "s3cret" });
    expect(delivery.headers["x-github-event"]).toBe("pull_request");
    expect(delivery.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery.headers["content-type"]).toBe("application/json");
    const expected = Buffer.from(
      `sha256=${createHmac("sha256", "s3cret").update(delivery.body).digest("hex")}`,
    );
    expect(timingSafeEqual(Buffer.from(delivery.headers["x-hub-signature-256"]!), expected)).toBe(true);
    const signature = delivery.headers["x-hub-signature-256"]!;
    expect(await new Webhooks({ secret: "s3cret" }).verify(delivery.body, signature)).toBe(true);
    expect(await new Webhooks({ secret: "other" }).verify(delivery.body, signature)).toBe(false);
    expect(
      signedDelivery({ event: "push", payload: {}, secret: "s", deliveryId: "fixed" }).headers[
        "x-github-delivery"
      ],
    ).toBe("fixed");
  });
});
