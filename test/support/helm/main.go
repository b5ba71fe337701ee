// A small stand-in for `helm template`, for tests on machines without Helm: it renders a chart's templates
// with Go's text/template, sprig and the functions Helm adds (include, tpl, required, toYaml, fromYaml,
// toJson, fromJson, lookup), over the objects Helm passes (Values, Release, Chart, Capabilities, Files,
// Template), and prints the manifests as Helm does (`# Source:` headers, Helm's install order).
//
//	go run main.go values -chart DIR [-values overrides.json]   → the coalesced values as JSON
//	go run main.go render -chart DIR [-values overrides.json] [-name R] [-namespace NS] [-notes]
//
// Schema validation (values.schema.json) is left to the caller, which validates the `values` output.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

type metadata struct {
	APIVersion  string            `yaml:"apiVersion"`
	Name        string            `yaml:"name"`
	Version     string            `yaml:"version"`
	AppVersion  string            `yaml:"appVersion"`
	KubeVersion string            `yaml:"kubeVersion"`
	Description string            `yaml:"description"`
	Type        string            `yaml:"type"`
	Home        string            `yaml:"home"`
	Icon        string            `yaml:"icon"`
	Sources     []string          `yaml:"sources"`
	Keywords    []string          `yaml:"keywords"`
	Annotations map[string]string `yaml:"annotations"`
}

type release struct {
	Name      string
	Namespace string
	IsUpgrade bool
	IsInstall bool
	Revision  int
	Service   string
}

type kubeVersion struct{ Version, Major, Minor, GitVersion string }

func (k kubeVersion) String() string { return k.Version }

type apiVersions []string

// Has is Helm's `.Capabilities.APIVersions.Has "policy/v1"` (a group/version, or group/version/Kind).
func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type capabilities struct {
	KubeVersion kubeVersion
	APIVersions apiVersions
	HelmVersion map[string]string
}

type files map[string][]byte

func (f files) Get(name string) string      { return string(f[name]) }
func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(strings.TrimRight(string(f[name]), "\n"), "\n")
}

// The API versions a 1.32 cluster serves, for `.Capabilities.APIVersions.Has` (Helm's defaults, plus the
// groups charts commonly test for).
var defaultAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1",
	"autoscaling/v2", "storage.k8s.io/v1", "coordination.k8s.io/v1", "events.k8s.io/v1",
	"admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1", "scheduling.k8s.io/v1",
}

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "values" && os.Args[1] != "render") {
		fail("usage: helm-render values|render -chart DIR [-values FILE.json] [-name R] [-namespace NS] [-notes]")
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	chartDir := flags.String("chart", "", "chart folder")
	valuesFile := flags.String("values", "", "JSON file of values that override values.yaml")
	name := flags.String("name", "release-name", "release name")
	namespace := flags.String("namespace", "default", "release namespace")
	kube := flags.String("kube-version", "v1.32.0", "Kubernetes version for .Capabilities")
	extraAPIs := flags.String("api-versions", "", "comma-separated extra API versions")
	notes := flags.Bool("notes", false, "print NOTES.txt after the manifests")
	_ = flags.Parse(os.Args[2:])
	if *chartDir == "" {
		fail("-chart is required")
	}
	values, err := loadValues(*chartDir, *valuesFile)
	if err != nil {
		fail(err.Error())
	}
	if os.Args[1] == "values" {
		out, _ := json.Marshal(values)
		os.Stdout.Write(out)
		return
	}
	var chart metadata
	if err := readYAML(filepath.Join(*chartDir, "Chart.yaml"), &chart); err != nil {
		fail(err.Error())
	}
	apis := apiVersions(defaultAPIVersions)
	if *extraAPIs != "" {
		apis = append(apis, strings.Split(*extraAPIs, ",")...)
	}
	version := strings.TrimPrefix(*kube, "v")
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		fail("-kube-version must look like v1.32.0")
	}
	top := map[string]interface{}{
		"Values":  values,
		"Release": release{Name: *name, Namespace: *namespace, IsInstall: true, Revision: 1, Service: "Helm"},
		"Chart":   chart,
		"Capabilities": capabilities{
			KubeVersion: kubeVersion{Version: "v" + version, Major: parts[0], Minor: parts[1], GitVersion: "v" + version},
			APIVersions: apis,
			HelmVersion: map[string]string{"Version": "v3.16.0"},
		},
		"Files": loadFiles(*chartDir),
	}
	out, err := render(*chartDir, chart.Name, top, *notes)
	if err != nil {
		fail("Error: " + err.Error())
	}
	os.Stdout.WriteString(out)
}

func fail(message string) {
	os.Stderr.WriteString(message + "\n")
	os.Exit(1)
}

func readYAML(path string, into interface{}) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("cannot parse %s: %v", path, err)
	}
	return nil
}

// loadValues reads values.yaml as Helm does (YAML → JSON, so numbers are float64) and coalesces the
// overrides over it: maps merge, other values replace, and null deletes a default.
func loadValues(chartDir, overridesFile string) (map[string]interface{}, error) {
	var raw interface{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &raw); err != nil {
		return nil, err
	}
	defaults, err := viaJSON(normalize(raw))
	if err != nil {
		return nil, err
	}
	if defaults == nil {
		defaults = map[string]interface{}{}
	}
	if overridesFile == "" {
		return defaults, nil
	}
	data, err := os.ReadFile(overridesFile)
	if err != nil {
		return nil, err
	}
	var overrides map[string]interface{}
	if err := json.Unmarshal(data, &overrides); err != nil {
		return nil, fmt.Errorf("cannot parse %s: %v", overridesFile, err)
	}
	return coalesce(overrides, defaults), nil
}

func viaJSON(v interface{}) (map[string]interface{}, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out map[string]interface{}
	return out, json.Unmarshal(data, &out)
}

// normalize turns yaml.v2's map[interface{}]interface{} into JSON-compatible maps.
func normalize(v interface{}) interface{} {
	switch x := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, val := range x {
			m[fmt.Sprint(k)] = normalize(val)
		}
		return m
	case []interface{}:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	}
	return v
}

func coalesce(overrides, defaults map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range overrides {
		if v == nil {
			delete(out, k)
			continue
		}
		over, isMap := v.(map[string]interface{})
		base, baseIsMap := out[k].(map[string]interface{})
		if isMap && baseIsMap {
			out[k] = coalesce(over, base)
		} else {
			out[k] = v
		}
	}
	return out
}

func loadFiles(chartDir string) files {
	f := files{}
	_ = filepath.Walk(chartDir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(chartDir, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "templates/") || rel == "Chart.yaml" || rel == "values.yaml" {
			return nil
		}
		data, _ := os.ReadFile(path)
		f[rel] = data
		return nil
	})
	return f
}

func templateFiles(chartDir string) ([]string, error) {
	var names []string
	err := filepath.Walk(filepath.Join(chartDir, "templates"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			names = append(names, path)
		}
		return err
	})
	sort.Strings(names)
	return names, err
}

// renderedDoc is one YAML document of the output, kept with its source for the `# Source:` line.
type renderedDoc struct {
	source, body, kind string
}

func render(chartDir, chartName string, top map[string]interface{}, withNotes bool) (string, error) {
	paths, err := templateFiles(chartDir)
	if err != nil {
		return "", err
	}
	t := template.New("gotpl").Option("missingkey=zero")
	funcs := helmFuncs(t)
	t.Funcs(funcs)
	var names []string
	for _, path := range paths {
		rel, _ := filepath.Rel(chartDir, path)
		name := chartName + "/" + filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		if _, err := t.New(name).Funcs(funcs).Parse(string(data)); err != nil {
			return "", cleanupParseError(name, err)
		}
		names = append(names, name)
	}
	var docs []renderedDoc
	notes := ""
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasPrefix(base, "_") {
			continue
		}
		scope := map[string]interface{}{}
		for k, v := range top {
			scope[k] = v
		}
		scope["Template"] = map[string]string{"Name": name, "BasePath": chartName + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, scope); err != nil {
			return "", cleanupExecError(name, err)
		}
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			notes = out
			continue
		}
		for _, body := range splitDocuments(out) {
			var head struct {
				Kind string `yaml:"kind"`
			}
			if err := yaml.Unmarshal([]byte(body), &head); err != nil {
				return "", fmt.Errorf("YAML parse error on %s: %v", name, err)
			}
			docs = append(docs, renderedDoc{source: name, body: body, kind: head.Kind})
		}
	}
	sort.SliceStable(docs, func(i, j int) bool { return installRank(docs[i].kind) < installRank(docs[j].kind) })
	var out strings.Builder
	for _, d := range docs {
		out.WriteString("---\n# Source: " + d.source + "\n" + d.body + "\n")
	}
	if withNotes && strings.TrimSpace(notes) != "" {
		out.WriteString("\nNOTES:\n" + notes)
	}
	return out.String(), nil
}

// splitDocuments splits a rendered file on `---` lines and drops documents that hold only whitespace or
// comments, as Helm's release manifests do.
func splitDocuments(s string) []string {
	var docs []string
	for _, part := range strings.Split("\n"+s, "\n---") {
		body := strings.TrimSpace(part)
		content := false
		for _, line := range strings.Split(body, "\n") {
			trimmed := strings.TrimSpace(line)
			if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
				content = true
			}
		}
		if content {
			docs = append(docs, body)
		}
	}
	return docs
}

// Helm's InstallOrder (pkg/releaseutil/kind_sorter.go); unknown kinds go last.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
	"ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
	"Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

func installRank(kind string) int {
	for i, k := range installOrder {
		if k == kind {
			return i
		}
	}
	return len(installOrder)
}

func helmFuncs(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	depth := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var buf bytes.Buffer
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return value, errors.New(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return value, errors.New(message)
		}
		return value, nil
	}
	f["toYaml"] = func(v interface{}) string {
		data, err := toYAML(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		var raw interface{}
		if err := yaml.Unmarshal([]byte(s), &raw); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		m, _ := normalize(raw).(map[string]interface{})
		if m == nil {
			m = map[string]interface{}{}
		}
		return m
	}
	f["toJson"] = func(v interface{}) string {
		data, _ := json.Marshal(v)
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	// `helm template` has no cluster to look in: lookup answers an empty map, as it does there.
	f["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}

// toYAML is sigs.k8s.io/yaml's Marshal: through JSON (so keys sort and struct tags apply), then YAML.
func toYAML(v interface{}) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var obj interface{}
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	return yaml.Marshal(obj)
}

// cleanupExecError shortens Go's template error as Helm does:
// `execution error at (aether/templates/x.yaml:3:14): <the message of required/fail>`.
func cleanupExecError(filename string, err error) error {
	var execErr template.ExecError
	if !errors.As(err, &execErr) {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", filename, err)
	}
	message := tokens[2]
	if i := strings.LastIndex(message, "error calling "); i >= 0 {
		rest := message[i+len("error calling "):]
		if j := strings.Index(rest, ": "); j >= 0 {
			message = rest[j+2:]
		}
	}
	return fmt.Errorf("execution error at (%s): %s", tokens[1], message)
}

func cleanupParseError(filename string, err error) error {
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("parse error in (%s): %s", filename, err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[2])
}
