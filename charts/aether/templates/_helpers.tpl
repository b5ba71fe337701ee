{{/* The release's full name, a DNS label: "<release>-aether", or the release name when it already says aether. */}}
{{- define "aether.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "aether.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aether.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "aether.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "aether.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aether.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false (name an existing ServiceAccount)" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The app image: by digest when one is given (what runs is what was verified), else by tag. */}}
{{- define "aether.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the private key and webhook secret: the operator's, or the one this chart creates. */}}
{{- define "aether.githubSecretName" -}}
{{- default (include "aether.fullname" .) .Values.githubApp.existingSecret -}}
{{- end -}}

{{- define "aether.postgresqlName" -}}
{{- printf "%s-postgresql" (include "aether.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aether.postgresqlSecretName" -}}
{{- default (include "aether.postgresqlName" .) .Values.postgresql.existingSecret -}}
{{- end -}}

{{/* Whether the chart itself creates a Secret (credentials or URLs given as values rather than Secrets). */}}
{{- define "aether.createsSecret" -}}
{{- $v := .Values -}}
{{- if not $v.githubApp.existingSecret -}}
true
{{- else if and $v.database.url (not $v.database.existingSecret) (not $v.postgresql.enabled) -}}
true
{{- else if and $v.previewDatabase.url (not $v.previewDatabase.existingSecret) -}}
true
{{- else if and $v.apiTokens.value (not $v.apiTokens.existingSecret) -}}
true
{{- end -}}
{{- end -}}

{{/* AETHER_PUBLIC_URL: publicUrl, else the ingress host over https, else nothing (the app's listening URL). */}}
{{- define "aether.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.host -}}
{{- printf "https://%s" .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* Fails early, with what to set, when a value the app cannot start without is missing. */}}
{{- define "aether.validate" -}}
{{- $_ := required "githubApp.id is required: the GitHub App's id (Settings → Developer settings → GitHub Apps → App ID)" .Values.githubApp.id -}}
{{- if not .Values.githubApp.existingSecret -}}
{{- $_ := required "githubApp.privateKey is required (or set githubApp.existingSecret to a Secret holding it)" .Values.githubApp.privateKey -}}
{{- $_ := required "githubApp.webhookSecret is required (or set githubApp.existingSecret to a Secret holding it)" .Values.githubApp.webhookSecret -}}
{{- end -}}
{{- if not .Values.postgresql.enabled -}}
{{- if not .Values.database.existingSecret -}}
{{- $_ := required "database.url is required: a PostgreSQL URL for the app's queue (or database.existingSecret, or postgresql.enabled=true)" .Values.database.url -}}
{{- end -}}
{{- else if not .Values.postgresql.existingSecret -}}
{{- $_ := required "postgresql.password is required when postgresql.enabled is true (or set postgresql.existingSecret)" .Values.postgresql.password -}}
{{- end -}}
{{- $_ := required "store.url is required: an s3:// URL for artifacts (a pod's folder does not outlive it)" .Values.store.url -}}
{{- if and (not .Values.previews.enabled) .Values.rbac.create (empty .Values.rbac.namespaces) -}}
{{- fail "rbac.namespaces is empty while previews.enabled is false: list the namespaces the app may deploy to" -}}
{{- end -}}
{{- end -}}
