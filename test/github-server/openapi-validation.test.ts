import { describe, expect, it } from "vitest";
import { loadOpenApiIndex, matchOperation } from "../support/github/openapi-spec.ts";
import { resolveSchema } from "../support/github/resolve-schema.ts";
import { validateRequest } from "../support/github/validate-request.ts";
import { validateResponse } from "../support/github/validate-response.ts";

const index = loadOpenApiIndex();

function operation(method: string, path: string) {
  const matched = matchOperation(index, method, path);
  if (matched === undefined) throw new Error(`no ${method} ${path}`);
  return matched;
}

describe("OpenAPI matching and validation", () => {
  it("loads and indexes the spec once per process", () => {
    expect(loadOpenApiIndex()).toBe(index);
    expect(index.byMethod.get("GET")?.length).toBeGreaterThan(500);
  });

  it("prefers literal segments over parameters and decodes a slashed contents path", () => {
    expect(operation("GET", "/repos/a/b/check-runs/12").spec.operationId).toBe("checks/get");
    expect(operation("GET", "/repos/a/b/commits/main/check-runs").spec.operationId).toBe(
      "checks/list-for-ref",
    );
    const contents = operation("GET", "/repos/a/b/contents/.github%2Faether.yml");
    expect(contents.pathParams).toEqual({ owner: "a", repo: "b", path: ".github/aether.yml" });
    expect(operation("GET", "/repos/a/b/contents/.github/aether.yml").pathParams.path).toBe(
      ".github/aether.yml",
    );
    expect(matchOperation(index, "GET", "/repos/a/b/no-such-thing")).toBeUndefined();
    expect(matchOperation(index, "DELETE", "/repos/a/b/check-runs/12")).toBeUndefined();
  });

  it("reads OpenAPI 3.0 `nullable` as GitHub means it: null is allowed, other types are not", () => {
    expect(index.version).toMatch(/^3\.0\./);
    const team = operation("PATCH", "/orgs/acme/teams/core");
    const check = (body: unknown) =>
      validateRequest(index, team.spec, { pathParams: team.pathParams, query: {}, body });
    expect(check({ parent_team_id: null })).toEqual([]);
    expect(check({ parent_team_id: 5 })).toEqual([]);
    expect(check({ parent_team_id: "five" })).toEqual(["body /parent_team_id must be integer,null"]);
    expect(resolveSchema({ type: "string", enum: ["a"], nullable: true }, {})).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(resolveSchema({ allOf: [{ type: "object" }], nullable: true }, {})).toEqual({
      anyOf: [{ allOf: [{ type: "object" }] }, { type: "null" }],
    });
  });

  it("coerces and checks query and path parameters by their schema types and enums", () => {
    const list = operation("GET", "/repos/a/b/commits/main/check-runs");
    const check = (query: Record<string, string>) =>
      validateRequest(index, list.spec, { pathParams: list.pathParams, query, body: undefined });
    expect(check({ per_page: "50", status: "completed", filter: "latest" })).toEqual([]);
    expect(check({ status: "done" })).toEqual([
      expect.stringMatching(/^parameter \/status must be equal to one of the allowed values/),
    ]);
    const get = operation("GET", "/repos/a/b/check-runs/twelve");
    expect(
      validateRequest(index, get.spec, { pathParams: get.pathParams, query: {}, body: undefined }),
    ).toEqual(["parameter /check_run_id must be integer"]);
  });

  it("requires a required body and rejects a body where the operation takes none", () => {
    const create = operation("POST", "/repos/a/b/check-runs");
    expect(
      validateRequest(index, create.spec, { pathParams: create.pathParams, query: {}, body: undefined }),
    ).toEqual(["a JSON request body is required"]);
    const del = operation("DELETE", "/repos/a/b/issues/comments/1");
    expect(
      validateRequest(index, del.spec, { pathParams: del.pathParams, query: {}, body: { x: 1 } }),
    ).toEqual(["DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} takes no request body"]);
  });

  it("checks the types of the fields a response carries, without requiring GitHub's full objects", () => {
    const get = operation("GET", "/repos/a/b/check-runs/1").spec;
    expect(validateResponse(index, get, 200, { id: 1, status: "completed", conclusion: null })).toEqual([]);
    expect(validateResponse(index, get, 200, { id: "1", status: "done" })).toEqual([
      "response /id must be integer",
      "response /status must be equal to one of the allowed values",
    ]);
  });
});
