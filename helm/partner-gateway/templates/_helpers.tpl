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

{{/* The kubernetes.io/tls Secret of the gRPC port: the existing one, or the one the chart's Certificate writes. */}}
{{- define "partner-gateway.grpcTlsSecretName" -}}
{{- .Values.grpcTls.existingSecret | default (printf "%s-grpc-tls" (include "partner-gateway.fullname" .)) -}}
{{- end -}}

{{/* The name `helm test` checks the gateway's certificate for; the chart's Certificate carries it. */}}
{{- define "partner-gateway.grpcServerName" -}}
{{- .Values.grpcTls.serverName | default (printf "%s.%s.svc" (include "partner-gateway.fullname" .) .Release.Namespace) -}}
{{- end -}}

{{/* "true" when an authorization policy is configured, from values or an existing ConfigMap. */}}
{{- define "partner-gateway.authzEnabled" -}}
{{- if or .Values.authz.policy .Values.authz.existingConfigMap -}}true{{- end -}}
{{- end -}}

{{- define "partner-gateway.authzConfigMapName" -}}
{{- .Values.authz.existingConfigMap | default (printf "%s-authz" (include "partner-gateway.fullname" .)) -}}
{{- end -}}

{{/* Where the gateway and the helm test pod find the gRPC port's TLS files and the policy. */}}
{{- define "partner-gateway.tlsDir" -}}/etc/partner-gateway/tls{{- end -}}
{{- define "partner-gateway.authzDir" -}}/etc/partner-gateway/authz{{- end -}}

{{/* The gRPC port's TLS Secret as a volume: tls.crt and tls.key, and ca.crt when `withCA`. */}}
{{- define "partner-gateway.grpcTlsVolume" -}}
- name: grpc-tls
  secret:
    secretName: {{ include "partner-gateway.grpcTlsSecretName" .root }}
    defaultMode: 0440
    items:
      - {key: tls.crt, path: tls.crt}
      - {key: tls.key, path: tls.key}
      {{- if .withCA }}
      - {key: ca.crt, path: ca.crt}
      {{- end }}
{{- end -}}

{{/* The gateway pods' most replicas: what --fleet-size divides the rate budget by. */}}
{{/*
A probe's handler and timing for the health service `service` ("" is liveness, "readiness"):
the native gRPC probe, or under TLS the admin port's equivalent, /healthz for "" and /readyz for
readiness (the admin listener is the first to close at shutdown). Args: root, service.
*/}}
{{- define "partner-gateway.probe" -}}
{{- $v := .root.Values -}}
{{- if $v.grpcTls.enabled }}
httpGet:
  path: {{ ternary "/healthz" "/readyz" (eq .service "") }}
  port: admin
{{- else }}
grpc:
  port: {{ $v.ports.grpc }}
  service: {{ .service | quote }}
{{- end }}
periodSeconds: {{ $v.probes.periodSeconds }}
timeoutSeconds: {{ $v.probes.timeoutSeconds }}
{{- end -}}

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
{{- $tls := .Values.grpcTls -}}
{{- $authz := include "partner-gateway.authzEnabled" . -}}
{{- if and $p.environments.live (not (and $tls.enabled $tls.mutual $authz)) -}}
{{- fail "partner.environments.live needs grpcTls.enabled, grpcTls.mutual and an authorization policy (authz.policy or authz.existingConfigMap): the gateway refuses to start with a live key unless only the callers a policy names, by their client certificates, can spend live money" -}}
{{- end -}}
{{- if and $authz (not $tls.enabled) -}}
{{- fail "an authorization policy (authz.policy or authz.existingConfigMap) needs grpcTls.enabled: its principals are the callers' TLS certificates, and the gateway refuses a policy on a plaintext port" -}}
{{- end -}}
{{- if and $tls.mutual (not $tls.enabled) -}}
{{- fail "grpcTls.mutual needs grpcTls.enabled: client certificates are asked for in the TLS handshake" -}}
{{- end -}}
{{- if and $tls.certManager.enabled (not $tls.enabled) -}}
{{- fail "grpcTls.certManager.enabled issues the gRPC port's certificate: set grpcTls.enabled too" -}}
{{- end -}}
{{- if and $tls.enabled (not (or $tls.existingSecret $tls.certManager.enabled)) -}}
{{- fail "grpcTls.enabled needs a certificate: name a kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt) in grpcTls.existingSecret, or set grpcTls.certManager.enabled to have cert-manager write one" -}}
{{- end -}}
{{- if and $tls.existingSecret $tls.certManager.enabled -}}
{{- fail "grpcTls.existingSecret and grpcTls.certManager.enabled exclude each other: the chart's Certificate writes the Secret <fullname>-grpc-tls" -}}
{{- end -}}
{{- if and $tls.certManager.enabled (not $tls.certManager.issuerRef.name) -}}
{{- fail "grpcTls.certManager.enabled needs grpcTls.certManager.issuerRef.name: the Issuer or ClusterIssuer that signs the certificate" -}}
{{- end -}}
{{- if and .Values.authz.policy .Values.authz.existingConfigMap -}}
{{- fail "authz.policy and authz.existingConfigMap exclude each other: write the policy in values, or name a ConfigMap holding policy.json" -}}
{{- end -}}
{{- if and .Values.authz.policy (not (and .Values.authz.policy.name (hasKey .Values.authz.policy "allow_rules"))) -}}
{{- fail "authz.policy needs a name and allow_rules (a list; empty denies every call)" -}}
{{- end -}}
{{- end -}}

{{- define "partner-gateway.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "partner-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end -}}
