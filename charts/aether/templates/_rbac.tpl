{{/*
The one list of what the deployer may do; docs/operator-guide.md ("RBAC") shows the same list, and
test/chart checks both agree. Namespaced rules go in a Role per namespace (previews off) or in a ClusterRole
(previews on: namespaces are created per pull request); the namespace rule is cluster-scoped by nature.
*/}}
{{- define "aether.deployerRules" -}}
- apiGroups: [""]
  resources: [configmaps, limitranges, resourcequotas, serviceaccounts, services]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, create, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  resources: [events]
  verbs: [get, list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [get, list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses, networkpolicies]
  verbs: [get, list, watch, create, patch, delete]
{{- end -}}

{{- define "aether.namespaceRules" -}}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list, watch, create, patch, delete]
{{- end -}}
