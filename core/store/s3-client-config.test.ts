import { describe, expect, it } from "vitest";
import { s3ClientConfig } from "./s3-client-config.ts";

describe("s3ClientConfig", () => {
  it("uses AWS's defaults when env names nothing: us-east-1, the default credential chain", () => {
    expect(s3ClientConfig({ env: {}, pathStyle: undefined })).toEqual({
      region: "us-east-1",
      followRegionRedirects: true,
    });
  });

  it("takes the region from AWS_REGION, then AWS_DEFAULT_REGION", () => {
    expect(s3ClientConfig({ env: { AWS_DEFAULT_REGION: "eu-west-1" }, pathStyle: undefined }).region).toBe(
      "eu-west-1",
    );
    const both = { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-west-1" };
    expect(s3ClientConfig({ env: both, pathStyle: undefined }).region).toBe("eu-central-1");
  });

  it("points a custom endpoint at path-style addressing, with checksums only where required", () => {
    expect(
      s3ClientConfig({ env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9000" }, pathStyle: undefined }),
    ).toEqual({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const specific = { AWS_ENDPOINT_URL: "http://general", AWS_ENDPOINT_URL_S3: "https://s3.example.com" };
    expect(s3ClientConfig({ env: specific, pathStyle: false })).toMatchObject({
      endpoint: "https://s3.example.com",
      forcePathStyle: false,
    });
  });

  it("refuses an endpoint that is not an http(s) URL", () => {
    expect(() =>
      s3ClientConfig({ env: { AWS_ENDPOINT_URL_S3: "127.0.0.1:9000" }, pathStyle: undefined }),
    ).toThrow(/AWS_ENDPOINT_URL_S3 "127.0.0.1:9000" is not an http\(s\) URL/);
    expect(() =>
      s3ClientConfig({ env: { AWS_ENDPOINT_URL: "ftp://u:secret@host" }, pathStyle: undefined }),
    ).toThrow(/AWS_ENDPOINT_URL "ftp:\/\/\*\*\*@host"/);
  });

  it("passes keys from env explicitly, so process.env is never consulted for them", () => {
    const env = { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "SECRET", AWS_PROFILE: "ignored" };
    expect(s3ClientConfig({ env, pathStyle: undefined }).credentials).toEqual({
      accessKeyId: "AKID",
      secretAccessKey: "SECRET",
    });
    const session = { ...env, AWS_SESSION_TOKEN: "TOKEN" };
    const config = s3ClientConfig({ env: session, pathStyle: undefined });
    expect(config.credentials).toEqual({
      accessKeyId: "AKID",
      secretAccessKey: "SECRET",
      sessionToken: "TOKEN",
    });
    expect(config.profile).toBeUndefined();
  });

  it("hands AWS_PROFILE to the default chain when no keys are given", () => {
    const config = s3ClientConfig({ env: { AWS_PROFILE: "deploy" }, pathStyle: undefined });
    expect(config.profile).toBe("deploy");
    expect(config.credentials).toBeUndefined();
  });

  it("refuses half a key pair, without showing either half", () => {
    const attempt = () => s3ClientConfig({ env: { AWS_ACCESS_KEY_ID: "AKIDONLY" }, pathStyle: undefined });
    expect(attempt).toThrow(/AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/);
    expect(attempt).not.toThrow(/AKIDONLY/);
  });
});
