{{- define "partner-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "partner-gateway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "partner-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "partner-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "partner-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "partner-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "partner-gateway.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ include "partner-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end -}}

{{- define "partner-gateway.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "partner-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "partner-gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "partner-gateway.secretName" -}}
{{- .Values.partner.existingSecret | default (include "partner-gateway.fullname" .) -}}
{{- end -}}

{{/* The Redis URL the gateway uses: the external one, or the in-chart Redis's Service. */}}
{{- define "partner-gateway.redisUrl" -}}
{{- if .Values.eventLog.redis.url -}}
{{- .Values.eventLog.redis.url -}}
{{- else if .Values.redis.enabled -}}
{{- printf "redis://%s-redis:6379" (include "partner-gateway.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The gateway pods' most replicas: what --fleet-size divides the rate budget by. */}}
{{- define "partner-gateway.fleetSize" -}}
{{- if .Values.autoscaling.enabled -}}
{{- .Values.autoscaling.maxReplicas -}}
{{- else -}}
{{- .Values.replicaCount -}}
{{- end -}}
{{- end -}}

{{/* The pod security settings every container of the chart runs with. */}}
{{- define "partner-gateway.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{- define "partner-gateway.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Refuses values that cannot work, with the message a user needs. Included by
every template that depends on them, so `helm template` and `helm install` fail
before anything is applied.
*/}}
{{- define "partner-gateway.validate" -}}
{{- $redis := include "partner-gateway.redisUrl" . -}}
{{- if and (not $redis) (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) -}}
{{- fail "more than one replica (replicaCount > 1 or autoscaling.enabled) needs a shared event log: set eventLog.redis.url, or redis.enabled for dev and staging; SQLite cannot be shared between pods" -}}
{{- end -}}
{{- if and .Values.sandbox.enabled (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) -}}
{{- fail "sandbox.enabled keeps the emulator's state inside the pod: it needs replicaCount 1 and no autoscaling" -}}
{{- end -}}
{{- if and .Values.sandbox.enabled .Values.partner.environments.live -}}
{{- fail "sandbox.enabled emulates the Partner's sandbox only: set partner.environments.live to false" -}}
{{- end -}}
{{- if not (or .Values.partner.environments.sandbox .Values.partner.environments.live) -}}
{{- fail "partner.environments: enable sandbox, live or both" -}}
{{- end -}}
{{- $p := .Values.partner -}}
{{- if and (not $p.createSecret) (or $p.sandboxKey $p.liveKey $p.webhookSandboxSecret $p.webhookLiveSecret) -}}
{{- fail "partner.sandboxKey, liveKey, webhookSandboxSecret and webhookLiveSecret are inline secrets: put them in a Secret named by partner.existingSecret, or set partner.createSecret: true to have the chart create one (development only)" -}}
{{- end -}}
{{- if and $p.createSecret $p.existingSecret -}}
{{- fail "partner.createSecret and partner.existingSecret exclude each other: name an existing Secret, or create one from values" -}}
{{- end -}}
{{- if $p.createSecret -}}
{{- if and $p.sandboxKey (not (hasPrefix "pk_test_" $p.sandboxKey)) -}}
{{- fail "partner.sandboxKey is not a sandbox key: it starts with pk_test_" -}}
{{- end -}}
{{- if and $p.liveKey (not (hasPrefix "pk_live_" $p.liveKey)) -}}
{{- fail "partner.liveKey is not a live key: it starts with pk_live_" -}}
{{- end -}}
{{- if and $p.environments.sandbox (not (and $p.sandboxKey $p.webhookSandboxSecret)) -}}
{{- fail "partner.createSecret with partner.environments.sandbox needs partner.sandboxKey and partner.webhookSandboxSecret" -}}
{{- end -}}
{{- if and $p.environments.live (not (and $p.liveKey $p.webhookLiveSecret)) -}}
{{- fail "partner.createSecret with partner.environments.live needs partner.liveKey and partner.webhookLiveSecret" -}}
{{- end -}}
{{- end -}}
{{- if le (int .Values.terminationGracePeriodSeconds) (add .Values.preStopSleepSeconds .Values.shutdownGraceSeconds | int) -}}
{{- fail "terminationGracePeriodSeconds must exceed preStopSleepSeconds + shutdownGraceSeconds, or the kubelet kills calls still finishing" -}}
{{- end -}}
{{- if and .Values.eventLog.redis.url .Values.redis.enabled -}}
{{- fail "eventLog.redis.url and redis.enabled exclude each other: use an external Redis or the in-chart one" -}}
{{- end -}}
{{- end -}}

{{- define "partner-gateway.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "partner-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end -}}
