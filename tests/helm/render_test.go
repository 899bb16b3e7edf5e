// Renders the chart with the pinned Helm and decodes every manifest strictly
// into the Kubernetes API types: an unknown or misplaced field fails.
package helm

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// The namespace every test renders the release in.
const namespace = "payments"

var (
	repoRoot  = mustAbs("../..")
	chartDir  = filepath.Join(repoRoot, "helm", "partner-gateway")
	ciValues  = filepath.Join(chartDir, "ci")
	separator = regexp.MustCompile(`(?m)^---\s*$`)
)

func mustAbs(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return abs
}

// helm runs the repository's pinned Helm; it returns stdout, and Helm's stderr alone in the
// error (the arguments may hold a secret a refusal must not repeat).
func helm(args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot, "helm", "helm")}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("helm %s: %v: %s", args[0], err, stderr.String())
	}
	return stdout.String(), nil
}

// release is what one `helm template` rendered, by kind.
type release struct {
	Deployments     []appsv1.Deployment
	StatefulSets    []appsv1.StatefulSet
	Services        []corev1.Service
	ConfigMaps      []corev1.ConfigMap
	Secrets         []corev1.Secret
	Pods            []corev1.Pod
	PVCs            []corev1.PersistentVolumeClaim
	ServiceAccounts []corev1.ServiceAccount
	PDBs            []policyv1.PodDisruptionBudget
	HPAs            []autoscalingv2.HorizontalPodAutoscaler
	Ingresses       []networkingv1.Ingress
	NetworkPolicies []networkingv1.NetworkPolicy
	ServiceMonitors []monitoringv1.ServiceMonitor
	Certificates    []certmanagerv1.Certificate
}

// decodeInto appends the strictly decoded document to the slice of its kind.
func decodeInto[T any](doc []byte, list *[]T) error {
	var object T
	if err := yaml.UnmarshalStrict(doc, &object); err != nil {
		return err
	}
	*list = append(*list, object)
	return nil
}

// renderArgs are `helm template` arguments: value files (relative to ci/),
// --set pairs, --set-json pairs and extra API versions the cluster serves.
type renderArgs struct {
	files       []string
	sets        []string
	jsonSets    []string
	apiVersions []string
}

func (a renderArgs) helmArgs() []string {
	args := []string{"template", "gateway", chartDir, "--namespace", namespace}
	for _, file := range a.files {
		args = append(args, "--values", filepath.Join(ciValues, file))
	}
	for _, set := range a.sets {
		args = append(args, "--set", set)
	}
	for _, set := range a.jsonSets {
		args = append(args, "--set-json", set)
	}
	for _, api := range a.apiVersions {
		args = append(args, "--api-versions", api)
	}
	return args
}

func render(args renderArgs) (*release, error) {
	out, err := helm(args.helmArgs()...)
	if err != nil {
		return nil, err
	}
	r := &release{}
	for _, doc := range separator.Split(out, -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			return nil, err
		}
		var decodeErr error
		switch meta.APIVersion + " " + meta.Kind {
		case "apps/v1 Deployment":
			decodeErr = decodeInto([]byte(doc), &r.Deployments)
		case "apps/v1 StatefulSet":
			decodeErr = decodeInto([]byte(doc), &r.StatefulSets)
		case "v1 Service":
			decodeErr = decodeInto([]byte(doc), &r.Services)
		case "v1 ConfigMap":
			decodeErr = decodeInto([]byte(doc), &r.ConfigMaps)
		case "v1 Secret":
			decodeErr = decodeInto([]byte(doc), &r.Secrets)
		case "v1 Pod":
			decodeErr = decodeInto([]byte(doc), &r.Pods)
		case "v1 PersistentVolumeClaim":
			decodeErr = decodeInto([]byte(doc), &r.PVCs)
		case "v1 ServiceAccount":
			decodeErr = decodeInto([]byte(doc), &r.ServiceAccounts)
		case "policy/v1 PodDisruptionBudget":
			decodeErr = decodeInto([]byte(doc), &r.PDBs)
		case "autoscaling/v2 HorizontalPodAutoscaler":
			decodeErr = decodeInto([]byte(doc), &r.HPAs)
		case "networking.k8s.io/v1 Ingress":
			decodeErr = decodeInto([]byte(doc), &r.Ingresses)
		case "networking.k8s.io/v1 NetworkPolicy":
			decodeErr = decodeInto([]byte(doc), &r.NetworkPolicies)
		case "monitoring.coreos.com/v1 ServiceMonitor":
			decodeErr = decodeInto([]byte(doc), &r.ServiceMonitors)
		case "cert-manager.io/v1 Certificate":
			decodeErr = decodeInto([]byte(doc), &r.Certificates)
		default:
			return nil, fmt.Errorf("unexpected manifest %s %s:\n%s", meta.APIVersion, meta.Kind, doc)
		}
		if decodeErr != nil {
			return nil, fmt.Errorf("%s %s does not decode strictly: %v\n%s", meta.APIVersion, meta.Kind, decodeErr, doc)
		}
	}
	return r, nil
}

func stripComments(doc string) string {
	var kept []string
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

func mustRender(t *testing.T, args renderArgs) *release {
	t.Helper()
	r, err := render(args)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// gateway returns the one Deployment and its gateway container.
func (r *release) gateway(t *testing.T) (*appsv1.Deployment, *corev1.Container) {
	t.Helper()
	if len(r.Deployments) != 1 {
		t.Fatalf("want one Deployment, got %d", len(r.Deployments))
	}
	d := &r.Deployments[0]
	for i := range d.Spec.Template.Spec.Containers {
		if c := &d.Spec.Template.Spec.Containers[i]; c.Name == "gateway" {
			return d, c
		}
	}
	t.Fatal("the Deployment has no container named gateway")
	return nil, nil
}

// settings is the gateway container's environment: its ConfigMaps' data, then its own env.
func (r *release) settings(t *testing.T, c *corev1.Container) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			t.Fatalf("envFrom other than a ConfigMap: %+v", from)
		}
		found := false
		for _, cm := range r.ConfigMaps {
			if cm.Name == from.ConfigMapRef.Name {
				found = true
				for k, v := range cm.Data {
					env[k] = v
				}
			}
		}
		if !found {
			t.Fatalf("envFrom names ConfigMap %q, which the chart does not render", from.ConfigMapRef.Name)
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom != nil {
			t.Fatalf("env %s comes from %+v: secrets are mounted as files", e.Name, e.ValueFrom)
		}
		env[e.Name] = e.Value
	}
	return env
}

func TestMain(m *testing.M) {
	// Installs the pinned Helm once, before the tests run in parallel.
	if _, err := helm("version"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
