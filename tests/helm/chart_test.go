package helm

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

const serviceMonitorAPI = "monitoring.coreos.com/v1/ServiceMonitor"

// Every values file CI renders: the defaults and each file in ci/.
var cases = map[string]renderArgs{
	"defaults":   {},
	"minimal":    {files: []string{"minimal-values.yaml"}},
	"production": {files: []string{"production-values.yaml"}, apiVersions: []string{serviceMonitorAPI}},
	"staging":    {files: []string{"staging-values.yaml"}},
}

func TestChartAppVersionIsTheGateways(t *testing.T) {
	want := os.Getenv("GATEWAY_VERSION")
	if want == "" {
		t.Fatal("GATEWAY_VERSION is not set (CTest sets it to the CMake project version)")
	}
	data, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var chart struct {
		APIVersion string `json:"apiVersion"`
		AppVersion string `json:"appVersion"`
	}
	if err := yaml.Unmarshal(data, &chart); err != nil {
		t.Fatal(err)
	}
	if chart.APIVersion != "v2" || chart.AppVersion != want {
		t.Errorf("Chart.yaml: apiVersion %q appVersion %q, want v2 and %q", chart.APIVersion, chart.AppVersion, want)
	}
}

func TestLintStrict(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(ciValues, "*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("ci/ values files: %v %v", files, err)
	}
	for _, file := range append([]string{""}, files...) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			args := []string{"lint", "--strict", chartDir}
			if file != "" {
				args = append(args, "--values", file)
			}
			if out, err := helm(args...); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

func TestRenderedManifestsHoldTogether(t *testing.T) {
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustRender(t, args)
			d, gateway := r.gateway(t)
			pod := d.Spec.Template
			podLabels := labels.Set(pod.Labels)

			selector, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
			if err != nil || !selector.Matches(podLabels) {
				t.Errorf("Deployment selector %v does not match its pod labels %v", d.Spec.Selector, pod.Labels)
			}
			for _, s := range r.StatefulSets {
				sel, err := metav1.LabelSelectorAsSelector(s.Spec.Selector)
				if err != nil || !sel.Matches(labels.Set(s.Spec.Template.Labels)) {
					t.Errorf("StatefulSet %s selector does not match its pod labels", s.Name)
				}
				if sel.Matches(podLabels) {
					t.Errorf("StatefulSet %s selects the gateway pods", s.Name)
				}
			}

			// Services select pods that declare their target ports.
			ports := map[string]corev1.ContainerPort{}
			for _, p := range gateway.Ports {
				ports[p.Name] = p
			}
			for _, s := range r.Services {
				target := podTemplateFor(r, s.Spec.Selector)
				if target == nil {
					t.Errorf("Service %s selects no pod template (%v)", s.Name, s.Spec.Selector)
					continue
				}
				for _, port := range s.Spec.Ports {
					if !declaresPort(target, port.TargetPort.String()) {
						t.Errorf("Service %s port %s targets %q, which its pods do not declare", s.Name, port.Name, port.TargetPort.String())
					}
					if target == &pod && port.Name == "grpc" && (port.AppProtocol == nil || *port.AppProtocol != "grpc") {
						t.Errorf("Service %s port grpc: appProtocol %v, want grpc", s.Name, port.AppProtocol)
					}
				}
			}

			// Probes: native gRPC on the declared gRPC port; liveness on "", readiness and startup on
			// readiness. Under TLS, which the kubelet's gRPC probes cannot speak, HTTP on the admin
			// port: liveness /healthz, readiness and startup /readyz.
			env := r.settings(t, gateway)
			_, tls := env["GATEWAY_GRPC_TLS_CERT_FILE"]
			checkProbes(t, gateway, tls)

			// Every file setting names a file that a mounted Secret or ConfigMap provides.
			for name, value := range env {
				if strings.HasSuffix(name, "_FILE") {
					if _, _, err := fileFrom(&pod.Spec, gateway, value); err != nil {
						t.Errorf("%s=%s: %v", name, value, err)
					}
				}
			}
			checkTLSHoldsTogether(t, r, &pod.Spec, env)

			// Draining: preStop pause, then --shutdown-grace, within the grace period.
			grace, err := time.ParseDuration(env["GATEWAY_SHUTDOWN_GRACE"])
			if err != nil {
				t.Errorf("GATEWAY_SHUTDOWN_GRACE %q: %v", env["GATEWAY_SHUTDOWN_GRACE"], err)
			}
			if gateway.Lifecycle == nil || gateway.Lifecycle.PreStop == nil || gateway.Lifecycle.PreStop.Sleep == nil {
				t.Fatalf("gateway container has no preStop sleep: %+v", gateway.Lifecycle)
			}
			pause := time.Duration(gateway.Lifecycle.PreStop.Sleep.Seconds) * time.Second
			period := time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
			if pause <= 0 || period <= pause+grace {
				t.Errorf("terminationGracePeriodSeconds %v must exceed the preStop pause %v + --shutdown-grace %v", period, pause, grace)
			}

			// Rolling updates never drop below the replica count; SQLite's single writer is recreated.
			if _, redis := env["GATEWAY_REDIS_MIN_REPLICAS"]; redis {
				ru := d.Spec.Strategy.RollingUpdate
				if d.Spec.Strategy.Type != "RollingUpdate" || ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
					t.Errorf("strategy %+v, want RollingUpdate with maxUnavailable 0", d.Spec.Strategy)
				}
			} else {
				if d.Spec.Strategy.Type != "Recreate" || !strings.HasPrefix(env["GATEWAY_EVENT_LOG"], "/") {
					t.Errorf("without Redis: strategy %s, event log %q; want Recreate and a file", d.Spec.Strategy.Type, env["GATEWAY_EVENT_LOG"])
				}
				if len(r.PVCs) != 1 || !mountsClaim(&pod, r.PVCs[0].Name, filepath.Dir(env["GATEWAY_EVENT_LOG"])) {
					t.Errorf("the SQLite event log %q is not on the chart's PersistentVolumeClaim", env["GATEWAY_EVENT_LOG"])
				}
			}

			// --fleet-size is the most replicas there can be.
			fleet := int(*orDefault(d.Spec.Replicas, 1))
			for _, hpa := range r.HPAs {
				if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != d.Name {
					t.Errorf("HPA %s targets %+v, not the Deployment %s", hpa.Name, hpa.Spec.ScaleTargetRef, d.Name)
				}
				if d.Spec.Replicas != nil {
					t.Errorf("with an HPA the Deployment sets no replicas (got %d)", *d.Spec.Replicas)
				}
				fleet = int(hpa.Spec.MaxReplicas)
			}
			if got := env["GATEWAY_FLEET_SIZE"]; got != strconv.Itoa(fleet) {
				t.Errorf("GATEWAY_FLEET_SIZE %q, want %d", got, fleet)
			}
			for _, pdb := range r.PDBs {
				sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
				if err != nil || !sel.Matches(podLabels) {
					t.Errorf("PDB %s does not select the Deployment's pods", pdb.Name)
				}
			}
			for _, np := range r.NetworkPolicies {
				if podTemplateFor(r, np.Spec.PodSelector.MatchLabels) == nil {
					t.Errorf("NetworkPolicy %s selects no pods of the chart", np.Name)
				}
			}
			checkSecurity(t, r)
			checkSecretsStayInSecrets(t, r)
		})
	}
}

// checkProbes: the gateway's probes ask what the README says, where the kubelet can ask it.
func checkProbes(t *testing.T, gateway *corev1.Container, tls bool) {
	t.Helper()
	ports := map[string]int32{}
	for _, p := range gateway.Ports {
		ports[p.Name] = p.ContainerPort
	}
	for probeName, probe := range map[string]*corev1.Probe{
		"liveness": gateway.LivenessProbe, "readiness": gateway.ReadinessProbe, "startup": gateway.StartupProbe,
	} {
		if probe == nil {
			t.Errorf("no %s probe", probeName)
			continue
		}
		if tls {
			want := "/readyz"
			if probeName == "liveness" {
				want = "/healthz"
			}
			get := probe.HTTPGet
			if get == nil || probe.GRPC != nil || get.Path != want || get.Port.String() != "admin" || ports["admin"] == 0 ||
				(get.Scheme != "" && get.Scheme != corev1.URISchemeHTTP) {
				t.Errorf("under TLS, %s probe %+v: want an HTTP GET of %s on the declared admin port", probeName, probe.ProbeHandler, want)
			}
			continue
		}
		if probe.GRPC == nil || probe.HTTPGet != nil || probe.GRPC.Port != ports["grpc"] || ports["grpc"] == 0 {
			t.Errorf("%s probe %+v: want a gRPC probe on the declared grpc port %d", probeName, probe.ProbeHandler, ports["grpc"])
			continue
		}
		want := "readiness"
		if probeName == "liveness" {
			want = ""
		}
		if probe.GRPC.Service == nil || *probe.GRPC.Service != want {
			t.Errorf("%s probe asks service %v, want %q", probeName, probe.GRPC.Service, want)
		}
	}
}

// fileFrom returns the volume that provides path in container c, and the Secret's or ConfigMap's
// key it holds. Mounts must be whole volumes: the kubelet never updates a subPath mount, and the
// gateway re-reads its keys, certificates and policy when they change.
func fileFrom(spec *corev1.PodSpec, c *corev1.Container, path string) (*corev1.Volume, string, error) {
	for _, m := range c.VolumeMounts {
		rel, ok := strings.CutPrefix(path, m.MountPath+"/")
		if !ok {
			continue
		}
		if m.SubPath != "" || m.SubPathExpr != "" {
			return nil, "", fmt.Errorf("mount %s is a subPath, which the kubelet never updates", m.MountPath)
		}
		if !m.ReadOnly {
			return nil, "", fmt.Errorf("mount %s is writable", m.MountPath)
		}
		for i := range spec.Volumes {
			v := &spec.Volumes[i]
			if v.Name != m.Name {
				continue
			}
			var items []corev1.KeyToPath
			switch {
			case v.Secret != nil:
				items = v.Secret.Items
			case v.ConfigMap != nil:
				items = v.ConfigMap.Items
			default:
				return nil, "", fmt.Errorf("volume %s is neither a Secret nor a ConfigMap", v.Name)
			}
			for _, item := range items {
				if item.Path == rel {
					return v, item.Key, nil
				}
			}
			return nil, "", fmt.Errorf("volume %s holds no item %s", v.Name, rel)
		}
		return nil, "", fmt.Errorf("mount %s names no volume", m.MountPath)
	}
	return nil, "", fmt.Errorf("no mount of container %s holds it", c.Name)
}

// checkTLSHoldsTogether: the gRPC port's Secret is the one the chart's Certificate writes (when it
// renders one), the Certificate names the gRPC Service and allows what its users need, and the
// helm test pod asks the gateway over TLS with the files it mounts, for a name the certificate has.
func checkTLSHoldsTogether(t *testing.T, r *release, spec *corev1.PodSpec, env map[string]string) {
	t.Helper()
	_, tls := env["GATEWAY_GRPC_TLS_CERT_FILE"]
	_, mutual := env["GATEWAY_GRPC_CLIENT_CA_FILE"]
	var tlsSecret string
	for _, v := range spec.Volumes {
		if v.Name == "grpc-tls" && v.Secret != nil {
			tlsSecret = v.Secret.SecretName
		}
	}
	if tls != (tlsSecret != "") {
		t.Errorf("TLS settings %v, but the gRPC port's Secret volume is %q", tls, tlsSecret)
	}
	var dnsNames []string
	for _, c := range r.Certificates {
		if c.Spec.SecretName != tlsSecret {
			t.Errorf("Certificate %s writes Secret %q, the pods mount %q", c.Name, c.Spec.SecretName, tlsSecret)
		}
		usages := map[string]bool{}
		for _, u := range c.Spec.Usages {
			usages[string(u)] = true
		}
		if !usages["server auth"] || !usages["client auth"] {
			t.Errorf("Certificate %s usages %v: the gateway serves it and helm test presents it", c.Name, c.Spec.Usages)
		}
		for _, s := range r.Services {
			if len(s.Spec.Ports) > 0 && s.Spec.Ports[0].Name == "grpc" && !slices.Contains(c.Spec.DNSNames, s.Name+"."+namespace+".svc") {
				t.Errorf("Certificate %s dnsNames %v lack the gRPC Service %s", c.Name, c.Spec.DNSNames, s.Name)
			}
		}
		dnsNames = append(dnsNames, c.Spec.DNSNames...)
	}
	for i := range r.Pods {
		test := &r.Pods[i]
		args := map[string]string{}
		for _, arg := range test.Spec.Containers[0].Args {
			if flag, value, ok := strings.Cut(arg, "="); ok {
				args[flag] = value
			}
		}
		if !tls {
			if len(args) != 0 || len(test.Spec.Volumes) != 0 {
				t.Errorf("helm test pod without TLS: args %v, volumes %v", test.Spec.Containers[0].Args, test.Spec.Volumes)
			}
			continue
		}
		want := []string{"--ca-file", "--server-name"}
		if mutual {
			want = append(want, "--cert-file", "--key-file")
		}
		for _, flag := range want {
			if args[flag] == "" {
				t.Errorf("helm test pod under TLS without %s: %v", flag, test.Spec.Containers[0].Args)
			}
		}
		for flag, key := range map[string]string{"--ca-file": "ca.crt", "--cert-file": "tls.crt", "--key-file": "tls.key"} {
			if args[flag] == "" {
				continue
			}
			v, got, err := fileFrom(&test.Spec, &test.Spec.Containers[0], args[flag])
			if err != nil || v.Secret.SecretName != tlsSecret || got != key {
				t.Errorf("helm test %s=%s is not the gRPC port Secret's %s: %v", flag, args[flag], key, err)
			}
		}
		if len(r.Certificates) > 0 && !slices.Contains(dnsNames, args["--server-name"]) {
			t.Errorf("helm test checks for %q, which the Certificate's dnsNames %v lack", args["--server-name"], dnsNames)
		}
	}
}

func orDefault[T any](v *T, fallback T) *T {
	if v == nil {
		return &fallback
	}
	return v
}

// podTemplateFor returns the chart's pod template that a selector picks, or nil.
func podTemplateFor(r *release, selector map[string]string) *corev1.PodTemplateSpec {
	if len(selector) == 0 {
		return nil
	}
	sel := labels.SelectorFromSet(selector)
	for i := range r.Deployments {
		if sel.Matches(labels.Set(r.Deployments[i].Spec.Template.Labels)) {
			return &r.Deployments[i].Spec.Template
		}
	}
	for i := range r.StatefulSets {
		if sel.Matches(labels.Set(r.StatefulSets[i].Spec.Template.Labels)) {
			return &r.StatefulSets[i].Spec.Template
		}
	}
	return nil
}

func declaresPort(pod *corev1.PodTemplateSpec, name string) bool {
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func mountsClaim(pod *corev1.PodTemplateSpec, claim, path string) bool {
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != claim {
			continue
		}
		for _, m := range pod.Spec.Containers[0].VolumeMounts {
			if m.Name == v.Name && m.MountPath == path {
				return true
			}
		}
	}
	return false
}

// checkSecurity: every pod of the chart runs as non-root with a read-only root filesystem, no
// capabilities, no privilege escalation, seccomp RuntimeDefault and no service account token.
func checkSecurity(t *testing.T, r *release) {
	t.Helper()
	specs := map[string]*corev1.PodSpec{}
	for i := range r.Deployments {
		specs["Deployment "+r.Deployments[i].Name] = &r.Deployments[i].Spec.Template.Spec
	}
	for i := range r.StatefulSets {
		specs["StatefulSet "+r.StatefulSets[i].Name] = &r.StatefulSets[i].Spec.Template.Spec
	}
	for i := range r.Pods {
		specs["Pod "+r.Pods[i].Name] = &r.Pods[i].Spec
	}
	for name, spec := range specs {
		sc := spec.SecurityContext
		if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 ||
			sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: pod securityContext %+v", name, sc)
		}
		if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
			t.Errorf("%s mounts a service account token", name)
		}
		for _, c := range spec.Containers {
			csc := c.SecurityContext
			if csc == nil || csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem ||
				csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation ||
				csc.Capabilities == nil || len(csc.Capabilities.Drop) != 1 || csc.Capabilities.Drop[0] != "ALL" ||
				len(csc.Capabilities.Add) != 0 {
				t.Errorf("%s container %s: securityContext %+v", name, c.Name, csc)
			}
		}
	}
	for _, sa := range r.ServiceAccounts {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			t.Errorf("ServiceAccount %s automounts its token", sa.Name)
		}
	}
}

// checkSecretsStayInSecrets: no value of a rendered Secret appears in a ConfigMap, an argument,
// a command or an env value.
func checkSecretsStayInSecrets(t *testing.T, r *release) {
	t.Helper()
	var values []string
	for _, s := range r.Secrets {
		for _, v := range s.Data {
			values = append(values, string(v))
		}
		for _, v := range s.StringData {
			values = append(values, v)
		}
	}
	var exposed []string
	for _, cm := range r.ConfigMaps {
		for _, v := range cm.Data {
			exposed = append(exposed, v)
		}
	}
	var containers []corev1.Container
	for _, d := range r.Deployments {
		containers = append(containers, d.Spec.Template.Spec.Containers...)
	}
	for _, s := range r.StatefulSets {
		containers = append(containers, s.Spec.Template.Spec.Containers...)
	}
	for _, p := range r.Pods {
		containers = append(containers, p.Spec.Containers...)
	}
	for _, c := range containers {
		exposed = append(exposed, c.Args...)
		exposed = append(exposed, c.Command...)
		for _, e := range c.Env {
			exposed = append(exposed, e.Value)
		}
	}
	for _, secret := range values {
		for _, place := range exposed {
			if secret != "" && strings.Contains(place, secret) {
				t.Errorf("a Secret's value appears outside Secrets, in %q", place)
			}
		}
	}
}

func TestEachFileRendersWhatItSays(t *testing.T) {
	production := mustRender(t, cases["production"])
	if len(production.ServiceMonitors) != 1 || len(production.HPAs) != 1 || len(production.Ingresses) != 1 ||
		len(production.NetworkPolicies) != 1 || len(production.Secrets) != 0 || len(production.PVCs) != 0 ||
		len(production.Certificates) != 1 || len(production.ConfigMaps) != 2 {
		t.Errorf("production: %d ServiceMonitors, %d HPAs, %d Ingresses, %d NetworkPolicies, %d Secrets, %d PVCs, %d Certificates, %d ConfigMaps",
			len(production.ServiceMonitors), len(production.HPAs), len(production.Ingresses),
			len(production.NetworkPolicies), len(production.Secrets), len(production.PVCs),
			len(production.Certificates), len(production.ConfigMaps))
	}
	// Production serves live: mutual TLS and a policy, the probes on the admin port.
	_, prodGateway := production.gateway(t)
	prodEnv := production.settings(t, prodGateway)
	for _, name := range []string{"GATEWAY_LIVE_KEY_FILE", "GATEWAY_GRPC_TLS_CERT_FILE", "GATEWAY_GRPC_TLS_KEY_FILE",
		"GATEWAY_GRPC_CLIENT_CA_FILE", "GATEWAY_AUTHZ_POLICY_FILE"} {
		if prodEnv[name] == "" {
			t.Errorf("production does not set %s", name)
		}
	}
	// The Ingress exposes the webhook path alone, to the webhook Service.
	for _, ing := range production.Ingresses {
		for _, rule := range ing.Spec.Rules {
			for _, path := range rule.HTTP.Paths {
				if path.Path != "/webhooks/peeker" || path.PathType == nil || *path.PathType != "Exact" ||
					path.Backend.Service == nil || !strings.HasSuffix(path.Backend.Service.Name, "-webhook") ||
					path.Backend.Service.Port.Name != "webhook" {
					t.Errorf("Ingress path %+v exposes more than the webhook path", path)
				}
			}
		}
	}
	// The NetworkPolicy: each port in only from named peers; out only to DNS, 443 and Redis.
	for _, np := range production.NetworkPolicies {
		for _, rule := range np.Spec.Ingress {
			if len(rule.From) == 0 || len(rule.Ports) != 1 {
				t.Errorf("NetworkPolicy ingress rule %+v lets anyone in, or on more than one port", rule)
			}
		}
		var egress []string
		for _, rule := range np.Spec.Egress {
			for _, port := range rule.Ports {
				egress = append(egress, fmt.Sprintf("%s/%s", port.Port.String(), *port.Protocol))
			}
		}
		if got := strings.Join(egress, " "); got != "53/UDP 53/TCP 443/TCP 6379/TCP" {
			t.Errorf("NetworkPolicy egress ports %q, want DNS, the Partner's 443 and Redis", got)
		}
	}
	// Without the CRD, no ServiceMonitor.
	withoutCRD := mustRender(t, renderArgs{files: []string{"production-values.yaml"}})
	if len(withoutCRD.ServiceMonitors) != 0 {
		t.Error("a ServiceMonitor is rendered for a cluster that does not serve its CRD")
	}

	staging := mustRender(t, cases["staging"])
	_, gateway := staging.gateway(t)
	env := staging.settings(t, gateway)
	sidecar := staging.Deployments[0].Spec.Template.Spec.Containers
	if len(sidecar) != 2 || sidecar[1].Command[0] != "partner-sandbox" || len(staging.StatefulSets) != 1 ||
		len(staging.Secrets) != 1 || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/partner/v1$`).MatchString(env["GATEWAY_PARTNER_BASE_URL"]) ||
		!strings.HasPrefix(env["GATEWAY_EVENT_LOG"], "redis://") {
		t.Errorf("staging: containers %d, StatefulSets %d, Secrets %d, Partner %q, event log %q", len(sidecar),
			len(staging.StatefulSets), len(staging.Secrets), env["GATEWAY_PARTNER_BASE_URL"], env["GATEWAY_EVENT_LOG"])
	}
	if len(staging.Pods) != 1 || staging.Pods[0].Annotations["helm.sh/hook"] != "test" ||
		strings.Join(staging.Pods[0].Spec.Containers[0].Command, " ") != "partner-gateway probe" {
		t.Errorf("helm test pod: %+v", staging.Pods)
	}

	defaults := mustRender(t, cases["defaults"])
	if len(defaults.Secrets) != 0 {
		t.Error("the default values create a Secret")
	}
}

func TestRefusedValues(t *testing.T) {
	for name, c := range map[string]struct {
		sets []string
		want string
	}{
		"replicas without Redis":    {[]string{"replicaCount=3"}, "more than one replica (replicaCount > 1 or autoscaling.enabled) needs a shared event log"},
		"autoscaling without Redis": {[]string{"autoscaling.enabled=true"}, "needs a shared event log: set eventLog.redis.url"},
		"inline key":                {[]string{"partner.sandboxKey=pk_test_inline"}, "partner.sandboxKey, liveKey, webhookSandboxSecret and webhookLiveSecret are inline secrets"},
		"unknown key":               {[]string{"replicas=3"}, "additional properties 'replicas' not allowed"},
		"mistyped nested key":       {[]string{"partner.rateLimt=10"}, "additional properties 'rateLimt' not allowed"},
		"wrong type":                {[]string{"replicaCount=three"}, "replicaCount"},
		"grace too short":           {[]string{"terminationGracePeriodSeconds=12"}, "terminationGracePeriodSeconds must exceed preStopSleepSeconds + shutdownGraceSeconds"},
		"sandbox with replicas":     {[]string{"sandbox.enabled=true", "redis.enabled=true", "replicaCount=2"}, "sandbox.enabled keeps the emulator's state inside the pod"},
		"a key that is no key":      {[]string{"partner.createSecret=true", "partner.sandboxKey=sk_oops", "partner.webhookSandboxSecret=x"}, "partner.sandboxKey is not a sandbox key"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := render(renderArgs{sets: c.sets})
			if err == nil {
				t.Fatalf("--set %v rendered; want it refused with %q", c.sets, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("--set %v: %v\nwant the message to contain %q", c.sets, err, c.want)
			}
			if strings.Contains(err.Error(), "pk_test_inline") || strings.Contains(err.Error(), "sk_oops") {
				t.Errorf("the refusal repeats the secret: %v", err)
			}
		})
	}
}
