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

// The Deployment rendered from the production values, with exactly its arguments, environment
// and secret mounts (under a temporary root), starts partner-gateway against partner-sandbox and a
// real redis-server, and its readiness probe's gRPC health service answers SERVING.
func TestRenderedProductionDeploymentRunsTheBinary(t *testing.T) {
	gatewayBin := binary(t, "PARTNER_GATEWAY_BIN")
	sandboxBin := binary(t, "PARTNER_SANDBOX_BIN")
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed (.ci/install-deps installs it)")
	}
	root := t.TempDir()

	redisPort := freePort(t)
	redisConf := filepath.Join(root, "redis.conf")
	os.WriteFile(redisConf, []byte(fmt.Sprintf("bind 127.0.0.1\nport %d\nsave \"\"\ndir %s\nrequirepass %q\n",
		redisPort, root, testSecrets["password"])), 0o600)
	start(t, nil, redisBin, redisConf)
	sandboxPort := freePort(t)
	start(t, nil, sandboxBin, "--listen", fmt.Sprintf("127.0.0.1:%d", sandboxPort), "--quiet")

	ports := map[string]int{"grpc": freePort(t), "webhook": freePort(t), "admin": freePort(t)}
	r := mustRender(t, renderArgs{
		files: []string{"production-values.yaml"},
		sets: []string{
			fmt.Sprintf("ports.grpc=%d", ports["grpc"]), fmt.Sprintf("ports.webhook=%d", ports["webhook"]),
			fmt.Sprintf("ports.admin=%d", ports["admin"]),
			fmt.Sprintf("partner.baseUrl=http://127.0.0.1:%d/partner/v1", sandboxPort),
			fmt.Sprintf("eventLog.redis.url=redis://127.0.0.1:%d/0", redisPort),
		},
	})
	d, gateway := r.gateway(t)
	if len(gateway.Command) != 0 {
		t.Fatalf("the gateway container replaces the image's entrypoint: %v", gateway.Command)
	}

	// Every mounted volume under the temporary root; secret volumes hold their items.
	volumes := map[string]corev1.Volume{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		volumes[v.Name] = v
	}
	var mounts []corev1.VolumeMount
	for _, m := range gateway.VolumeMounts {
		dir := filepath.Join(root, m.MountPath)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if secret := volumes[m.Name].Secret; secret != nil {
			for _, item := range secret.Items {
				value, ok := testSecrets[item.Key]
				if !ok {
					t.Fatalf("the chart mounts Secret key %q, which the README does not document", item.Key)
				}
				os.WriteFile(filepath.Join(dir, item.Path), []byte(value+"\n"), 0o400)
			}
		}
		mounts = append(mounts, m)
	}
	// Longest mount path first, so /a/b wins over /a.
	sort.Slice(mounts, func(i, j int) bool { return len(mounts[i].MountPath) > len(mounts[j].MountPath) })
	rooted := func(value string) string {
		for _, m := range mounts {
			if value == m.MountPath || strings.HasPrefix(value, m.MountPath+"/") {
				return root + value
			}
		}
		return value
	}

	// The environment is what the chart sets, and each variable one the binary documents.
	help, err := exec.Command(gatewayBin, "--help").Output()
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for name, value := range r.settings(t, gateway) {
		if !strings.Contains(string(help), "["+name+"]") {
			t.Errorf("the chart sets %s, which partner-gateway --help does not list", name)
		}
		env = append(env, name+"="+rooted(value))
	}
	var args []string
	for _, arg := range gateway.Args {
		args = append(args, rooted(arg))
	}
	gatewayProcess := start(t, env, gatewayBin, args...)
	output := &gatewayProcess.output

	probe := gateway.ReadinessProbe.GRPC
	target := fmt.Sprintf("127.0.0.1:%d", probe.Port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		out, err := exec.CommandContext(ctx, gatewayBin, "probe", target, *probe.Service).CombinedOutput()
		cancel()
		if err == nil {
			if want := fmt.Sprintf("%s at %s: SERVING\n", *probe.Service, target); string(out) != want {
				t.Errorf("probe said %q, want %q", out, want)
			}
			break
		}
		select {
		case err := <-gatewayProcess.exited:
			gatewayProcess.exited <- err
			t.Fatalf("partner-gateway exited (%v) before its readiness probe answered SERVING\n%s", err, output)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the readiness probe never answered SERVING (last: %s)\npartner-gateway output:\n%s", out, output)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out, err := exec.Command(gatewayBin, "probe", target, *gateway.LivenessProbe.GRPC.Service).CombinedOutput(); err != nil {
		t.Errorf("the liveness probe: %v %s", err, out)
	}

	// SIGTERM drains within the pod's grace period, and nothing secret was printed.
	gatewayProcess.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-gatewayProcess.exited:
		gatewayProcess.exited <- err
		if err != nil {
			t.Errorf("partner-gateway exited with %v after SIGTERM\n%s", err, output)
		}
	case <-time.After(time.Duration(*d.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second):
		t.Fatalf("partner-gateway did not stop within terminationGracePeriodSeconds\n%s", output)
	}
	for key, secret := range testSecrets {
		if strings.Contains(output.String(), secret) {
			t.Errorf("partner-gateway printed the %s", key)
		}
	}
	if !regexp.MustCompile(`partner-gateway serving gRPC on port \d+`).MatchString(output.String()) {
		t.Errorf("unexpected output:\n%s", output)
	}
}
