package helm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The secrets the test mounts, by Secret key.
var testSecrets = map[string]string{
	"sandbox-key":            "pk_test_helm_chart_check",
	"live-key":               "pk_live_helm_chart_check",
	"webhook-sandbox-secret": "whsec_helm_sandbox_check",
	"webhook-live-secret":    "whsec_helm_live_check",
	"password":               "redis-helm-chart-check",
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func binary(t *testing.T, variable string) string {
	t.Helper()
	path := os.Getenv(variable)
	if path == "" {
		t.Fatalf("%s is not set (CTest sets it to the built binary)", variable)
	}
	return path
}

// process is a child that runs until the test ends.
type process struct {
	cmd    *exec.Cmd
	output bytes.Buffer
	exited chan error // receives Wait's result once
}

func start(t *testing.T, env []string, name string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(name, args...), exited: make(chan error, 1)}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = &p.output, &p.output
	p.cmd.Dir = t.TempDir()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// pod is a rendered pod template laid out under a temporary root: every volume a directory, each
// Secret and ConfigMap volume holding its items, so its containers run with the paths as rendered,
// re-rooted.
type pod struct {
	root   string
	mounts []string          // mount paths, longest first
	dirs   map[string]string // volume name: its directory
}

// layOut makes the pod's volumes. A Secret or ConfigMap volume holds the rendered object's data when
// the chart made it; a Secret the chart does not make holds secrets[key], the test's stand-in for
// what the README tells operators to create.
func layOut(t *testing.T, r *release, spec *corev1.PodSpec, secrets map[string]string) *pod {
	t.Helper()
	p := &pod{root: t.TempDir(), dirs: map[string]string{}}
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	seen := map[string]bool{}
	for _, c := range spec.Containers {
		for _, m := range c.VolumeMounts {
			if seen[m.MountPath] {
				continue
			}
			seen[m.MountPath] = true
			p.mounts = append(p.mounts, m.MountPath)
			dir := filepath.Join(p.root, m.MountPath)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			p.dirs[m.Name] = dir
			if files := volumeFiles(t, r, volumes[m.Name], secrets); files != nil {
				writeVolume(t, dir, files)
			}
		}
	}
	sort.Slice(p.mounts, func(i, j int) bool { return len(p.mounts[i]) > len(p.mounts[j]) })
	return p
}

// volumeFiles is what a Secret or ConfigMap volume holds, by file name; nil for other volumes.
func volumeFiles(t *testing.T, r *release, v corev1.Volume, secrets map[string]string) map[string]string {
	t.Helper()
	var items []corev1.KeyToPath
	data := map[string]string{}
	switch {
	case v.Secret != nil:
		items = v.Secret.Items
		for k, value := range secrets {
			data[k] = value
		}
		for _, rendered := range r.Secrets {
			if rendered.Name == v.Secret.SecretName {
				data = map[string]string{}
				for k, value := range rendered.Data {
					data[k] = string(value)
				}
			}
		}
	case v.ConfigMap != nil:
		items = v.ConfigMap.Items
		data = nil
		for _, rendered := range r.ConfigMaps {
			if rendered.Name == v.ConfigMap.Name {
				data = rendered.Data
			}
		}
		if data == nil {
			t.Fatalf("volume %s mounts ConfigMap %q, which the chart does not render", v.Name, v.ConfigMap.Name)
		}
	default:
		return nil
	}
	if items == nil { // no items: the kubelet projects every key
		for key := range data {
			items = append(items, corev1.KeyToPath{Key: key, Path: key})
		}
	}
	files := map[string]string{}
	for _, item := range items {
		value, ok := data[item.Key]
		if !ok {
			t.Fatalf("volume %s mounts key %q, which the chart's README does not document", v.Name, item.Key)
		}
		if v.Secret != nil && !strings.HasSuffix(value, "\n") {
			value += "\n"
		}
		files[item.Path] = value
	}
	return files
}

// writeVolume writes files into dir as the kubelet's atomic writer does for Secret and ConfigMap
// volumes: into a new timestamped directory, which the ..data symlink then points at (swapped in
// one rename), each file a symlink through ..data. Called again on a laid-out volume, it is how
// an updated ConfigMap reaches a running pod, and why a subPath mount would never see it.
func writeVolume(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	stamp, err := os.MkdirTemp(dir, ".."+time.Now().Format("2006_01_02_15_04_05."))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(stamp, name), []byte(content), 0o440); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, name)
		if _, err := os.Lstat(link); os.IsNotExist(err) {
			if err := os.Symlink(filepath.Join("..data", name), link); err != nil {
				t.Fatal(err)
			}
		}
	}
	next := filepath.Join(dir, "..data_tmp")
	if err := os.Symlink(filepath.Base(stamp), next); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
}

// rooted re-roots a value that is a path under one of the pod's mounts.
func (p *pod) rooted(value string) string {
	for _, m := range p.mounts {
		if value == m || strings.HasPrefix(value, m+"/") {
			return p.root + value
		}
	}
	return value
}

// run starts container c as the kubelet would, with bin standing for the image's entrypoint or
// the command the container names. Every GATEWAY_* variable must be one partner-gateway documents.
func (p *pod) run(t *testing.T, r *release, c *corev1.Container, bin, help string) *process {
	t.Helper()
	var env []string
	for name, value := range r.settings(t, c) {
		if strings.HasPrefix(name, "GATEWAY_") && !strings.Contains(help, "["+name+"]") {
			t.Errorf("the chart sets %s, which partner-gateway --help does not list", name)
		}
		env = append(env, name+"="+p.rooted(value))
	}
	return start(t, env, bin, p.args(c)...)
}

// args is what container c runs after its command's first word, paths re-rooted.
func (p *pod) args(c *corev1.Container) []string {
	var args []string
	for _, arg := range append(append([]string{}, c.Command[min(1, len(c.Command)):]...), c.Args...) {
		if flag, value, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(flag, "--") {
			arg = flag + "=" + p.rooted(value)
		}
		args = append(args, p.rooted(arg))
	}
	return args
}

// waitServing runs `partner-gateway probe` for the probe's service until it answers SERVING.
func waitServing(t *testing.T, gatewayBin string, probe *corev1.GRPCAction, gateway *process) {
	t.Helper()
	target := fmt.Sprintf("127.0.0.1:%d", probe.Port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		out, err := exec.CommandContext(ctx, gatewayBin, "probe", target, *probe.Service).CombinedOutput()
		cancel()
		if err == nil {
			if want := fmt.Sprintf("%s at %s: SERVING\n", serviceName(*probe.Service), target); string(out) != want {
				t.Errorf("probe said %q, want %q", out, want)
			}
			return
		}
		select {
		case err := <-gateway.exited:
			gateway.exited <- err
			t.Fatalf("partner-gateway exited (%v) before %s answered SERVING\n%s", err, serviceName(*probe.Service), &gateway.output)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never answered SERVING (last: %s)\npartner-gateway output:\n%s", serviceName(*probe.Service), out, &gateway.output)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitProbe waits until the container's probe succeeds as the kubelet would see it: a gRPC probe
// asks the health service (waitServing), an httpGet probe GETs its path on the pod's port.
func waitProbe(t *testing.T, gatewayBin string, c *corev1.Container, probe *corev1.Probe, gateway *process) {
	t.Helper()
	if probe.GRPC != nil {
		waitServing(t, gatewayBin, probe.GRPC, gateway)
		return
	}
	if probe.HTTPGet == nil {
		t.Fatalf("probe %+v is neither gRPC nor httpGet", probe.ProbeHandler)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := httpProbe(c, probe)
		if err == nil {
			return
		}
		select {
		case exit := <-gateway.exited:
			gateway.exited <- exit
			t.Fatalf("partner-gateway exited (%v) before GET %s answered\n%s", exit, probe.HTTPGet.Path, &gateway.output)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never succeeded (last: %v)\npartner-gateway output:\n%s", probe.HTTPGet.Path, err, &gateway.output)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// httpProbe is one httpGet probe as the kubelet makes it: a GET of the path on the pod's address
// and the port (by number or by the container's port name), within timeoutSeconds, on a connection
// of its own (the kubelet keeps none alive); a status from 200 to 399 passes.
func httpProbe(c *corev1.Container, probe *corev1.Probe) error {
	get := probe.HTTPGet
	port := get.Port.IntValue()
	if get.Port.Type == intstr.String {
		port = 0
		for _, p := range c.Ports {
			if p.Name == get.Port.StrVal {
				port = int(p.ContainerPort)
			}
		}
		if port == 0 {
			return fmt.Errorf("container %s has no port named %q", c.Name, get.Port.StrVal)
		}
	}
	scheme := strings.ToLower(string(get.Scheme))
	if scheme == "" {
		scheme = "http"
	}
	host := get.Host
	if host == "" {
		host = "127.0.0.1"
	}
	request, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(port)), get.Path), nil)
	if err != nil {
		return err
	}
	request.Header.Set("User-Agent", "kube-probe/1.30")
	for _, h := range get.HTTPHeaders {
		request.Header.Set(h.Name, h.Value)
	}
	client := &http.Client{
		Timeout:   time.Duration(probe.TimeoutSeconds) * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	io.Copy(io.Discard, response.Body)
	if response.StatusCode < 200 || response.StatusCode >= 400 {
		return fmt.Errorf("GET %s: %s", get.Path, response.Status)
	}
	return nil
}

func serviceName(service string) string {
	if service == "" {
		return `""`
	}
	return service
}

// stop sends SIGTERM and expects a clean exit within the pod's grace period, with no secret printed.
func stop(t *testing.T, gateway *process, spec *corev1.PodSpec, secrets map[string]string) {
	t.Helper()
	gateway.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-gateway.exited:
		gateway.exited <- err
		if err != nil {
			t.Errorf("partner-gateway exited with %v after SIGTERM\n%s", err, &gateway.output)
		}
	case <-time.After(time.Duration(*spec.TerminationGracePeriodSeconds) * time.Second):
		t.Fatalf("partner-gateway did not stop within terminationGracePeriodSeconds\n%s", &gateway.output)
	}
	for key, secret := range secrets {
		if strings.Contains(gateway.output.String(), strings.TrimSpace(secret)) {
			t.Errorf("partner-gateway printed the %s", key)
		}
	}
}

func gatewayHelp(t *testing.T, gatewayBin string) string {
	t.Helper()
	help, err := exec.Command(gatewayBin, "--help").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(help)
}

// portSets renders the chart's ports on free loopback ports, so the test runs beside others.
func portSets(t *testing.T) []string {
	return []string{fmt.Sprintf("ports.grpc=%d", freePort(t)), fmt.Sprintf("ports.webhook=%d", freePort(t)),
		fmt.Sprintf("ports.admin=%d", freePort(t))}
}

// The SPIFFE ID the production values let place live orders.
const checkoutID = "spiffe://cluster.local/ns/orders/sa/checkout"

// The Deployment rendered from the production values, with exactly its arguments, environment
// and mounts (under a temporary root), starts partner-gateway against partner-sandbox and a real
// redis-server, serving live under mutual TLS and the rendered policy, with a certificate issued
// as cert-manager would for the rendered Certificate. Its probes, HTTP on the admin port under
// TLS, pass as the kubelet makes them; the helm test pod, run as rendered, verifies the gateway
// and is let in; and a changed policy reaches the running pod without rolling it.
func TestRenderedProductionDeploymentRunsTheBinary(t *testing.T) {
	t.Parallel()
	gatewayBin := binary(t, "PARTNER_GATEWAY_BIN")
	sandboxBin := binary(t, "PARTNER_SANDBOX_BIN")
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed (.ci/install-deps installs it)")
	}
	dir := t.TempDir()
	redisPort := freePort(t)
	redisConf := filepath.Join(dir, "redis.conf")
	os.WriteFile(redisConf, []byte(fmt.Sprintf("bind 127.0.0.1\nport %d\nsave \"\"\ndir %s\nrequirepass %q\n",
		redisPort, dir, testSecrets["password"])), 0o600)
	start(t, nil, redisBin, redisConf)
	sandboxPort := freePort(t)
	start(t, nil, sandboxBin, "--listen", fmt.Sprintf("127.0.0.1:%d", sandboxPort), "--quiet")

	args := renderArgs{
		files: []string{"production-values.yaml"},
		sets: append(portSets(t),
			fmt.Sprintf("partner.baseUrl=http://127.0.0.1:%d/partner/v1", sandboxPort),
			fmt.Sprintf("eventLog.redis.url=redis://127.0.0.1:%d/0", redisPort)),
	}
	r := mustRender(t, args)
	d, gateway := r.gateway(t)
	if len(gateway.Command) != 0 {
		t.Fatalf("the gateway container replaces the image's entrypoint: %v", gateway.Command)
	}
	if len(r.Certificates) != 1 {
		t.Fatalf("production renders %d Certificates, want the gRPC port's", len(r.Certificates))
	}
	pki := newTestPKI(t)
	secrets := pki.secretFor(t, &r.Certificates[0])
	for k, v := range testSecrets {
		secrets[k] = v
	}
	spec := &d.Spec.Template.Spec
	p := layOut(t, r, spec, secrets)
	running := p.run(t, r, gateway, gatewayBin, gatewayHelp(t, gatewayBin))
	waitProbe(t, gatewayBin, gateway, gateway.StartupProbe, running)
	waitProbe(t, gatewayBin, gateway, gateway.ReadinessProbe, running)
	waitProbe(t, gatewayBin, gateway, gateway.LivenessProbe, running)
	if !strings.Contains(running.output.String(), "mtls+policy") {
		t.Errorf("partner-gateway does not say it serves mutual TLS with a policy:\n%s", &running.output)
	}

	// The helm test pod, as rendered: it verifies the gateway with the Secret's ca.crt for the
	// name it gives, presents the Secret's certificate, and the policy lets it ask for health.
	if len(r.Pods) != 1 {
		t.Fatalf("want the one helm test pod, got %d", len(r.Pods))
	}
	testPod := &r.Pods[0]
	tester := layOut(t, r, &testPod.Spec, secrets)
	helmTest := tester.probeCommand(t, r, &testPod.Spec.Containers[0], gatewayBin)
	if out, err := helmTest(); err != nil || !regexp.MustCompile(`^readiness at 127\.0\.0\.1:\d+: SERVING\n$`).MatchString(out) {
		t.Errorf("the helm test pod fails (%v): %s\npartner-gateway output:\n%s", err, out, &running.output)
	}

	// Mutual TLS: no answer without TLS, nor without a client certificate; the checkout service's
	// certificate, its SPIFFE ID a URI SAN, may ask for health.
	grpcAddress := fmt.Sprintf("127.0.0.1:%d", containerPort(t, gateway, "grpc"))
	caFile := filepath.Join(dir, "ca.crt")
	os.WriteFile(caFile, []byte(pki.caPEM), 0o600)
	clientCert, clientKey := pki.client(t, checkoutID)
	certFile, keyFile := filepath.Join(dir, "checkout.crt"), filepath.Join(dir, "checkout.key")
	os.WriteFile(certFile, []byte(clientCert), 0o600)
	os.WriteFile(keyFile, []byte(clientKey), 0o600)
	probe := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, gatewayBin, append(append([]string{"probe"}, args...), grpcAddress, "readiness")...).CombinedOutput()
		return string(out), err
	}
	if out, err := probe(); err == nil {
		t.Errorf("a plaintext probe of the TLS port passed: %s", out)
	}
	if out, err := probe("--ca-file", caFile, "--server-name", "localhost"); err == nil {
		t.Errorf("a probe without a client certificate passed mutual TLS: %s", out)
	}
	checkout := []string{"--ca-file", caFile, "--cert-file", certFile, "--key-file", keyFile, "--server-name", "localhost"}
	if out, err := probe(checkout...); err != nil {
		t.Errorf("the checkout service's certificate is refused (%v): %s", err, out)
	}

	// A changed policy: the Deployment's pod template stays as it was (nothing rolls), and once
	// the kubelet has swapped the ConfigMap volume's files the running gateway enforces it.
	changed := args
	changed.jsonSets = []string{`authz.policy.deny_rules=[{"name":"no-health-for-checkout","source":{"principals":["` +
		checkoutID + `"]},"request":{"paths":["/grpc.health.v1.Health/*"]}}]`}
	after := mustRender(t, changed)
	afterDeployment, _ := after.gateway(t)
	if before, now := mustJSON(t, d.Spec.Template), mustJSON(t, afterDeployment.Spec.Template); before != now {
		t.Errorf("a policy change changes the pod template, which rolls the pods:\n%s\n%s", before, now)
	}
	var authz corev1.Volume
	for _, v := range spec.Volumes {
		if v.Name == "authz" {
			authz = v
		}
	}
	writeVolume(t, p.dirs["authz"], volumeFiles(t, after, authz, nil))
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := probe(checkout...)
		if err != nil && strings.Contains(out, "no-health-for-checkout") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the changed policy was not enforced without a restart (last: %v %s)\n%s", err, out, &running.output)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if out, err := helmTest(); err != nil {
		t.Errorf("after the policy change the helm test pod fails (%v): %s", err, out)
	}
	metrics := httpGet(t, gateway, "/metrics")
	for _, want := range []string{`gateway_authz_policy_reloads_total{result="ok"} 1`, "gateway_authz_policy_file_valid 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, metrics)
		}
	}

	stop(t, running, spec, secrets)
	if !regexp.MustCompile(`partner-gateway serving gRPC on port \d+`).MatchString(running.output.String()) {
		t.Errorf("unexpected output:\n%s", &running.output)
	}
}

// probeCommand returns a function that runs the helm test pod's `partner-gateway probe` container
// as rendered, its mounts under the pod's root, the Service it names reached on loopback.
func (p *pod) probeCommand(t *testing.T, r *release, c *corev1.Container, gatewayBin string) func() (string, error) {
	t.Helper()
	if strings.Join(c.Command, " ") != "partner-gateway probe" {
		t.Fatalf("the helm test container runs %v", c.Command)
	}
	args := p.args(c)
	routed := false
	for i, arg := range args {
		host, port, err := net.SplitHostPort(arg)
		if strings.HasPrefix(arg, "-") || err != nil {
			continue
		}
		for _, s := range r.Services {
			for _, sp := range s.Spec.Ports {
				if s.Name == host && strconv.Itoa(int(sp.Port)) == port && sp.Name == "grpc" {
					args[i], routed = net.JoinHostPort("127.0.0.1", port), true
				}
			}
		}
	}
	if !routed {
		t.Fatalf("the helm test pod's arguments %v name no gRPC Service of the chart", c.Args)
	}
	return func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, gatewayBin, args...).CombinedOutput()
		return string(out), err
	}
}

// containerPort is the number of the container's port of that name.
func containerPort(t *testing.T, c *corev1.Container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s declares no port %q", c.Name, name)
	return 0
}

// httpGet fetches a path of the gateway container's admin port, on a connection it then closes
// (an idle one kept alive would hold the admin server's shutdown for its keep-alive timeout).
func httpGet(t *testing.T, c *corev1.Container, path string) string {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	response, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d%s", containerPort(t, c, "admin"), path))
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The staging pod, both its containers as rendered: partner-gateway reaches the partner-sandbox
// sidecar on loopback with the Secret the chart made (the health name partner is SERVING once the
// sandbox answered GET /me with that key).
func TestRenderedStagingPodRunsGatewayAndSandbox(t *testing.T) {
	t.Parallel()
	gatewayBin := binary(t, "PARTNER_GATEWAY_BIN")
	sandboxBin := binary(t, "PARTNER_SANDBOX_BIN")
	r := mustRender(t, renderArgs{
		files: []string{"staging-values.yaml"},
		// The in-chart Redis is a StatefulSet of its own; this pod keeps its log in SQLite.
		sets: append(portSets(t), fmt.Sprintf("sandbox.port=%d", freePort(t)), "redis.enabled=false"),
	})
	d, gateway := r.gateway(t)
	spec := &d.Spec.Template.Spec
	p := layOut(t, r, spec, testSecrets)
	help := gatewayHelp(t, gatewayBin)
	for i := range spec.Containers {
		if c := &spec.Containers[i]; c.Name == "sandbox" {
			if len(c.Command) != 1 || c.Command[0] != "partner-sandbox" {
				t.Fatalf("the sandbox container runs %v, not partner-sandbox", c.Command)
			}
			sandbox := p.run(t, r, c, sandboxBin, help)
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(sandbox.output.String(), "partner-sandbox listening on") {
				if time.Now().After(deadline) {
					t.Fatalf("partner-sandbox did not start with the rendered arguments:\n%s", &sandbox.output)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	running := p.run(t, r, gateway, gatewayBin, help)
	waitServing(t, gatewayBin, gateway.ReadinessProbe.GRPC, running)
	partner := *gateway.ReadinessProbe.GRPC
	partner.Service = new("partner")
	waitServing(t, gatewayBin, &partner, running)
	stop(t, running, spec, testSecrets)
}
