package helm

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
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
// secret volume holding its items, so its containers run with the paths as rendered, re-rooted.
type pod struct {
	root   string
	mounts []string // mount paths, longest first
}

// layOut makes the pod's volumes. A Secret volume holds the rendered Secret's data when the chart
// made that Secret, and the test's own values otherwise.
func layOut(t *testing.T, r *release, spec *corev1.PodSpec) *pod {
	t.Helper()
	p := &pod{root: t.TempDir()}
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
			secret := volumes[m.Name].Secret
			if secret == nil {
				continue
			}
			data := map[string]string{}
			for k, v := range testSecrets {
				data[k] = v
			}
			for _, rendered := range r.Secrets {
				if rendered.Name == secret.SecretName {
					data = map[string]string{}
					for k, v := range rendered.Data {
						data[k] = string(v)
					}
				}
			}
			for _, item := range secret.Items {
				value, ok := data[item.Key]
				if !ok {
					t.Fatalf("the chart mounts Secret key %q, which the chart's README does not document", item.Key)
				}
				if err := os.WriteFile(filepath.Join(dir, item.Path), []byte(value+"\n"), 0o400); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	sort.Slice(p.mounts, func(i, j int) bool { return len(p.mounts[i]) > len(p.mounts[j]) })
	return p
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
	var args []string
	for _, arg := range append(append([]string{}, c.Command[min(1, len(c.Command)):]...), c.Args...) {
		if flag, value, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(flag, "--") {
			arg = flag + "=" + p.rooted(value)
		}
		args = append(args, p.rooted(arg))
	}
	return start(t, env, bin, args...)
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

func serviceName(service string) string {
	if service == "" {
		return `""`
	}
	return service
}

// stop sends SIGTERM and expects a clean exit within the pod's grace period, with no secret printed.
func stop(t *testing.T, gateway *process, spec *corev1.PodSpec) {
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
	for key, secret := range testSecrets {
		if strings.Contains(gateway.output.String(), secret) {
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

// The Deployment rendered from the production values, with exactly its arguments, environment
// and secret mounts (under a temporary root), starts partner-gateway against partner-sandbox and a
// real redis-server, and its probes' gRPC health services answer SERVING.
func TestRenderedProductionDeploymentRunsTheBinary(t *testing.T) {
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

	r := mustRender(t, renderArgs{
		files: []string{"production-values.yaml"},
		sets: append(portSets(t),
			fmt.Sprintf("partner.baseUrl=http://127.0.0.1:%d/partner/v1", sandboxPort),
			fmt.Sprintf("eventLog.redis.url=redis://127.0.0.1:%d/0", redisPort)),
	})
	d, gateway := r.gateway(t)
	if len(gateway.Command) != 0 {
		t.Fatalf("the gateway container replaces the image's entrypoint: %v", gateway.Command)
	}
	spec := &d.Spec.Template.Spec
	running := layOut(t, r, spec).run(t, r, gateway, gatewayBin, gatewayHelp(t, gatewayBin))
	waitServing(t, gatewayBin, gateway.StartupProbe.GRPC, running)
	waitServing(t, gatewayBin, gateway.ReadinessProbe.GRPC, running)
	waitServing(t, gatewayBin, gateway.LivenessProbe.GRPC, running)
	stop(t, running, spec)
	if !regexp.MustCompile(`partner-gateway serving gRPC on port \d+`).MatchString(running.output.String()) {
		t.Errorf("unexpected output:\n%s", &running.output)
	}
}

// The staging pod, both its containers as rendered: partner-gateway reaches the partner-sandbox
// sidecar on loopback with the Secret the chart made (the health name partner is SERVING once the
// sandbox answered GET /me with that key).
func TestRenderedStagingPodRunsGatewayAndSandbox(t *testing.T) {
	gatewayBin := binary(t, "PARTNER_GATEWAY_BIN")
	sandboxBin := binary(t, "PARTNER_SANDBOX_BIN")
	r := mustRender(t, renderArgs{
		files: []string{"staging-values.yaml"},
		// The in-chart Redis is a StatefulSet of its own; this pod keeps its log in SQLite.
		sets: append(portSets(t), fmt.Sprintf("sandbox.port=%d", freePort(t)), "redis.enabled=false"),
	})
	d, gateway := r.gateway(t)
	spec := &d.Spec.Template.Spec
	p := layOut(t, r, spec)
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
	stop(t, running, spec)
}
