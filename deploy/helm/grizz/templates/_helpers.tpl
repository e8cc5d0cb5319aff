{{/* The release's base name: the release name, or <release>-grizz when it does not say grizz. */}}
{{- define "grizz.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "grizz.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: gateway, worker or all. */}}
{{- define "grizz.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "grizz.jobStream" -}}
{{- .Values.config.jobStream | default (printf "grizz:jobs:%s" .Release.Name) -}}
{{- end -}}

{{/*
A Deployment of the engine. Arguments: root (the chart's context), component (gateway, worker or
all), role (GRIZZ_ROLE), settings (the component's values), env (extra variables, a list).
*/}}
{{- define "grizz.deployment" -}}
{{- $root := .root -}}
{{- $s := .settings -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "grizz.fullname" $root }}-{{ .component }}
  labels:
    {{- include "grizz.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not .autoscaled }}
  replicas: {{ $s.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "grizz.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  template:
    metadata:
      labels:
        {{- include "grizz.selectorLabels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- if $root.Values.metrics.annotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: "8080"
        prometheus.io/path: {{ $root.Values.metrics.path }}
        {{- end }}
        {{- with $s.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- if eq .role "gateway" }}
      # On SIGTERM readiness turns 503 at once; after GRIZZ_DRAIN_DELAY open WebSockets are closed
      # with 1012 and SSE streams end, so clients reconnect to another gateway.
      {{- else }}
      # On SIGTERM a worker takes no new jobs and waits up to GRIZZ_WORKER_DRAIN for running steps;
      # steps it could not finish are taken over by other workers after the job lease.
      {{- end }}
      terminationGracePeriodSeconds: {{ $s.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: engine
          image: {{ printf "%s:%s" $root.Values.image.repository ($root.Values.image.tag | default $root.Chart.AppVersion) | quote }}
          {{- with $root.Values.image.pullPolicy }}
          imagePullPolicy: {{ . }}
          {{- end }}
          ports:
            - {name: http, containerPort: 8080}
          envFrom:
            - configMapRef: {name: {{ include "grizz.fullname" $root }}-config}
            - secretRef: {name: {{ $root.Values.secrets.existingSecret }}}
          env:
            # The signing keys' Secret, mounted below; re-read when it changes, so the keys rotate
            # without a restart.
            - {name: GRIZZ_SIGNING_KEYS_FILE, value: {{ printf "%s/%s" $root.Values.signingKeys.mountPath $root.Values.signingKeys.key }}}
            - {name: GRIZZ_ROLE, value: {{ .role }}}
            {{- range .env }}
            - {name: {{ .name }}, value: {{ .value | quote }}}
            {{- end }}
          volumeMounts:
            - {name: signing-keys, mountPath: {{ $root.Values.signingKeys.mountPath }}, readOnly: true}
          resources:
            {{- toYaml $s.resources | nindent 12 }}
          livenessProbe:
            httpGet: {path: /health, port: http}
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /actuator/health/readiness, port: http}
            periodSeconds: 5
            failureThreshold: 3
          startupProbe:
            httpGet: {path: /health, port: http}
            periodSeconds: 2
            failureThreshold: 60
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
      volumes:
        - name: signing-keys
          secret: {secretName: {{ $root.Values.signingKeys.existingSecret }}, defaultMode: 0440}
      {{- with $s.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- else }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "grizz.selectorLabels" . | nindent 20 }}
      {{- end }}
{{- end -}}

{{- define "grizz.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "grizz.fullname" .root }}-{{ .component }}
  labels:
    {{- include "grizz.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  maxUnavailable: {{ .settings.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "grizz.selectorLabels" . | nindent 6 }}
{{- end -}}
