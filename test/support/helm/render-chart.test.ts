import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../temp-dirs.ts";
import { HelmRenderError, renderChart } from "./render-chart.ts";

const tempDir = useTempDirs("aether-helm-chart-");

async function chart(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  const all = { "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: '9'\n", ...files };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe("renderChart (the helm template stand-in)", () => {
  it("coalesces values as Helm does: maps merge, lists replace, null deletes a default", async () => {
    const chartDir = await chart({
      "values.yaml": "a: {x: 1, w: 2}\nlist: [1, 2]\ngone: here\nbig: 1234567\n",
      "templates/cm.yaml": "kind: ConfigMap\ndata:\n{{ toYaml .Values | indent 2 }}\n",
    });
    const { values, objects } = await renderChart({
      chartDir,
      values: { a: { w: 3, z: 4 }, list: [9], gone: null },
    });
    expect(values).toEqual({ a: { w: 3, x: 1, z: 4 }, list: [9], big: 1234567 });
    // toYaml goes through JSON: sorted keys; numbers from values files are float64, as in Helm.
    expect(objects[0]!.object["data"]).toEqual({ a: { w: 3, x: 1, z: 4 }, big: 1234567, list: [9] });
  });

  it("passes Release, Chart, Capabilities, Files and Template, with include, tpl and lookup", async () => {
    const chartDir = await chart({
      "values.yaml": "greeting: 'hello {{ .Release.Name }}'\n",
      "files/motd.txt": "line one\nline two\n",
      "templates/_helpers.tpl": '{{- define "demo.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}',
      "templates/cm.yaml": [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        '  name: {{ include "demo.name" . }}',
        "  namespace: {{ .Release.Namespace }}",
        "data:",
        "  greeting: {{ tpl .Values.greeting . | quote }}",
        "  version: {{ .Chart.Version }}/{{ .Chart.AppVersion }}",
        "  kube: {{ .Capabilities.KubeVersion.Version }}",
        '  pdb: {{ .Capabilities.APIVersions.Has "policy/v1" | quote }}',
        '  motd: {{ .Files.Get "files/motd.txt" | quote }}',
        "  template: {{ .Template.Name }}",
        '  found: {{ empty (lookup "v1" "Secret" "x" "y") | quote }}',
      ].join("\n"),
    });
    const { objects, manifest } = await renderChart({ chartDir, releaseName: "r1", namespace: "ns1" });
    expect(manifest.startsWith("---\n# Source: demo/templates/cm.yaml\n")).toBe(true);
    expect(objects[0]!.source).toBe("demo/templates/cm.yaml");
    expect(objects[0]!.object).toMatchObject({
      metadata: { name: "demo-r1", namespace: "ns1" },
      data: {
        greeting: "hello r1",
        version: "1.2.3/9",
        kube: "v1.32.0",
        pdb: "true",
        motd: "line one\nline two\n",
        template: "demo/templates/cm.yaml",
        found: "true",
      },
    });
  });

  it("orders objects by Helm's install order and drops empty documents", async () => {
    const chartDir = await chart({
      "values.yaml": "enabled: false\n",
      "templates/a.yaml":
        "kind: Deployment\nmetadata: {name: d}\n---\n# only a comment\n---\nkind: Service\n",
      "templates/b.yaml": "kind: ServiceAccount\n---\nkind: Namespace\n",
      "templates/c.yaml": "{{- if .Values.enabled }}\nkind: Secret\n{{- end }}\n",
    });
    const { objects } = await renderChart({ chartDir });
    expect(objects.map((o) => o.object["kind"])).toEqual([
      "Namespace",
      "ServiceAccount",
      "Service",
      "Deployment",
    ]);
  });

  it("fails like Helm: required and fail with their location, parse errors, and schema violations", async () => {
    const failing = await chart({
      "values.yaml": "name: ''\n",
      "templates/x.yaml": 'a: {{ required "name is required" .Values.name }}\n',
    });
    await expect(renderChart({ chartDir: failing })).rejects.toThrow(
      new HelmRenderError("execution error at (demo/templates/x.yaml:1:6): name is required"),
    );
    const unparsable = await chart({ "values.yaml": "", "templates/x.yaml": "a: {{ nosuchfunc 1 }}\n" });
    await expect(renderChart({ chartDir: unparsable })).rejects.toThrow(
      'parse error at (demo/templates/x.yaml:1): function "nosuchfunc" not defined',
    );
    const schema = await chart({
      "values.yaml": "port: 80\n",
      "values.schema.json": JSON.stringify({ type: "object", properties: { port: { type: "integer" } } }),
      "templates/x.yaml": "port: {{ .Values.port }}\n",
    });
    await expect(renderChart({ chartDir: schema, values: { port: "eighty" } })).rejects.toThrow(
      "values don't meet the specifications of the schema(s) in the following chart(s):\ndemo:\n- port: must be integer",
    );
  });
});
