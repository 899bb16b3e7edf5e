// The gRPC port's security as rendered: TLS from a mounted kubernetes.io/tls Secret, mutual TLS,
// the cert-manager Certificate, the authorization policy's ConfigMap, the probes that TLS moves
// to the admin port, and the values refused because the gateway would refuse them.
package helm

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	fullname = "gateway-partner-gateway" // the release "gateway" of the chart partner-gateway
	tlsDir   = "/etc/partner-gateway/tls"
	authzDir = "/etc/partner-gateway/authz"
)

// A policy with every field the gateway knows, as --set-json gives it, and as toJson renders it:
// compact, keys sorted.
const (
	testPolicy = `{"name":"orders","deny_rules":[{"name":"no-cancel","request":{"paths":["/peeker.partner.v1.OrderService/CancelOrder"]}}],` +
		`"allow_rules":[{"name":"checkout","source":{"principals":["spiffe://cluster.local/ns/orders/sa/checkout"]},` +
		`"request":{"paths":["/peeker.partner.v1.OrderService/*"],"headers":[{"key":"peeker-environment","values":["live"]}]}},` +
		`{"name":"health","request":{"paths":["/grpc.health.v1.Health/*"]}}]}`
	testPolicyJSON = `{"allow_rules":[{"name":"checkout","request":{"headers":[{"key":"peeker-environment","values":["live"]}],` +
		`"paths":["/peeker.partner.v1.OrderService/*"]},"source":{"principals":["spiffe://cluster.local/ns/orders/sa/checkout"]}},` +
		`{"name":"health","request":{"paths":["/grpc.health.v1.Health/*"]}}],` +
		`"deny_rules":[{"name":"no-cancel","request":{"paths":["/peeker.partner.v1.OrderService/CancelOrder"]}}],"name":"orders"}`
)

// tlsSets serve TLS from an existing Secret; mutual adds client certificates.
func tlsSets(mutual bool) []string {
	sets := []string{"grpcTls.enabled=true", "grpcTls.existingSecret=gateway-grpc-tls"}
	if mutual {
		sets = append(sets, "grpcTls.mutual=true")
	}
	return sets
}

func volumeNamed(spec *corev1.PodSpec, name string) *corev1.Volume {
	for i := range spec.Volumes {
		if spec.Volumes[i].Name == name {
			return &spec.Volumes[i]
		}
	}
	return nil
}

func mountNamed(c *corev1.Container, name string) *corev1.VolumeMount {
	for i := range c.VolumeMounts {
		if c.VolumeMounts[i].Name == name {
			return &c.VolumeMounts[i]
		}
	}
	return nil
}

func itemKeys(items []corev1.KeyToPath) []string {
	var keys []string
	for _, item := range items {
		if item.Key != item.Path {
			keys = append(keys, item.Key+"->"+item.Path)
			continue
		}
		keys = append(keys, item.Key)
	}
	return keys
}

func TestGrpcTlsMountsTheSecret(t *testing.T) {
	for name, c := range map[string]struct {
		sets     []string
		items    []string
		env      map[string]string
		testArgs []string
	}{
		"plaintext": {
			sets:     nil,
			env:      map[string]string{},
			testArgs: []string{fullname + ":50051", "readiness"},
		},
		"tls": {
			sets:  tlsSets(false),
			items: []string{"tls.crt", "tls.key"},
			env: map[string]string{
				"GATEWAY_GRPC_TLS_CERT_FILE": tlsDir + "/tls.crt",
				"GATEWAY_GRPC_TLS_KEY_FILE":  tlsDir + "/tls.key",
			},
			testArgs: []string{"--ca-file=" + tlsDir + "/ca.crt", "--server-name=" + fullname + "." + namespace + ".svc",
				fullname + ":50051", "readiness"},
		},
		"mutual": {
			sets:  tlsSets(true),
			items: []string{"tls.crt", "tls.key", "ca.crt"},
			env: map[string]string{
				"GATEWAY_GRPC_TLS_CERT_FILE":  tlsDir + "/tls.crt",
				"GATEWAY_GRPC_TLS_KEY_FILE":   tlsDir + "/tls.key",
				"GATEWAY_GRPC_CLIENT_CA_FILE": tlsDir + "/ca.crt",
			},
			testArgs: []string{"--ca-file=" + tlsDir + "/ca.crt", "--cert-file=" + tlsDir + "/tls.crt",
				"--key-file=" + tlsDir + "/tls.key", "--server-name=" + fullname + "." + namespace + ".svc", fullname + ":50051", "readiness"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustRender(t, renderArgs{sets: c.sets})
			d, gateway := r.gateway(t)
			spec := &d.Spec.Template.Spec
			env := r.settings(t, gateway)
			got := map[string]string{}
			for _, k := range []string{"GATEWAY_GRPC_TLS_CERT_FILE", "GATEWAY_GRPC_TLS_KEY_FILE", "GATEWAY_GRPC_CLIENT_CA_FILE", "GATEWAY_AUTHZ_POLICY_FILE"} {
				if v, ok := env[k]; ok {
					got[k] = v
				}
			}
			if !reflect.DeepEqual(got, c.env) {
				t.Errorf("settings %v, want %v", got, c.env)
			}
			if len(r.Certificates) != 0 {
				t.Errorf("an existing Secret, yet %d Certificates", len(r.Certificates))
			}
			checkProbes(t, gateway, c.items != nil)
			if test := r.Pods[0].Spec.Containers[0]; !slices.Equal(test.Args, c.testArgs) {
				t.Errorf("helm test args %q, want %q", test.Args, c.testArgs)
			}

			v, m := volumeNamed(spec, "grpc-tls"), mountNamed(gateway, "grpc-tls")
			if c.items == nil {
				if v != nil || m != nil || len(r.Pods[0].Spec.Volumes) != 0 {
					t.Errorf("plaintext, yet a TLS volume %+v mounted %+v", v, m)
				}
				return
			}
			if v == nil || v.Secret == nil || v.Secret.SecretName != "gateway-grpc-tls" || v.Secret.DefaultMode == nil ||
				*v.Secret.DefaultMode != 0o440 || !slices.Equal(itemKeys(v.Secret.Items), c.items) {
				t.Fatalf("TLS volume %+v: want Secret gateway-grpc-tls, mode 0440, items %v", v, c.items)
			}
			if m == nil || m.MountPath != tlsDir || !m.ReadOnly || m.SubPath != "" {
				t.Errorf("TLS mount %+v: want the whole volume read-only at %s", m, tlsDir)
			}
			if fs := spec.SecurityContext.FSGroup; fs == nil || *fs != *spec.SecurityContext.RunAsUser {
				t.Errorf("fsGroup %v: the gateway's user must read the 0440 files", fs)
			}
			// The helm test pod mounts the same Secret, ca.crt always: it verifies the gateway with it.
			testSpec := &r.Pods[0].Spec
			tv, tm := volumeNamed(testSpec, "grpc-tls"), mountNamed(&testSpec.Containers[0], "grpc-tls")
			if tv == nil || tv.Secret == nil || tv.Secret.SecretName != "gateway-grpc-tls" ||
				!slices.Equal(itemKeys(tv.Secret.Items), []string{"tls.crt", "tls.key", "ca.crt"}) ||
				tm == nil || tm.MountPath != tlsDir || !tm.ReadOnly {
				t.Errorf("helm test pod's TLS volume %+v mounted %+v", tv, tm)
			}
		})
	}
}

func TestCertManagerCertificate(t *testing.T) {
	sets := []string{"grpcTls.enabled=true", "grpcTls.mutual=true", "grpcTls.certManager.enabled=true",
		"grpcTls.certManager.issuerRef.name=internal-ca", "grpcTls.certManager.issuerRef.kind=ClusterIssuer",
		"grpcTls.certManager.duration=720h", "grpcTls.certManager.renewBefore=240h",
		"grpcTls.certManager.dnsNames[0]=partner-gateway.example.com",
		// Also listed among the Service's names: the Certificate holds it once.
		"grpcTls.certManager.dnsNames[1]=" + fullname + "." + namespace + ".svc"}
	r := mustRender(t, renderArgs{sets: sets})
	if len(r.Certificates) != 1 {
		t.Fatalf("%d Certificates, want 1", len(r.Certificates))
	}
	c := r.Certificates[0].Spec
	d, _ := r.gateway(t)
	if v := volumeNamed(&d.Spec.Template.Spec, "grpc-tls"); v == nil || c.SecretName != fullname+"-grpc-tls" || v.Secret.SecretName != c.SecretName {
		t.Errorf("the Certificate writes %q, the pods mount %+v", c.SecretName, v)
	}
	wantNames := []string{fullname, fullname + "." + namespace, fullname + "." + namespace + ".svc", fullname + "." + namespace + ".svc.cluster.local",
		"partner-gateway.example.com"}
	if !slices.Equal(c.DNSNames, wantNames) {
		t.Errorf("dnsNames %q, want %q", c.DNSNames, wantNames)
	}
	if c.IssuerRef.Name != "internal-ca" || c.IssuerRef.Kind != "ClusterIssuer" || c.IssuerRef.Group != "cert-manager.io" {
		t.Errorf("issuerRef %+v", c.IssuerRef)
	}
	if !slices.Contains(c.Usages, certmanagerv1.UsageServerAuth) || !slices.Contains(c.Usages, certmanagerv1.UsageClientAuth) {
		t.Errorf("usages %v: want server auth (the gateway) and client auth (helm test under mutual TLS)", c.Usages)
	}
	if c.Duration == nil || c.Duration.Duration.Hours() != 720 || c.RenewBefore == nil || c.RenewBefore.Duration.Hours() != 240 {
		t.Errorf("duration %v, renewBefore %v", c.Duration, c.RenewBefore)
	}
	if c.PrivateKey == nil || c.PrivateKey.RotationPolicy != certmanagerv1.RotationPolicyAlways {
		t.Errorf("privateKey %+v: a renewal should bring a new key", c.PrivateKey)
	}

	// A serverName of one's own: helm test checks for it, and the Certificate carries it.
	named := mustRender(t, renderArgs{sets: append(sets, "grpcTls.serverName=grpc.payments.example")})
	if names := named.Certificates[0].Spec.DNSNames; !slices.Contains(names, "grpc.payments.example") {
		t.Errorf("dnsNames %q lack grpcTls.serverName", names)
	}
	if args := named.Pods[0].Spec.Containers[0].Args; !slices.Contains(args, "--server-name=grpc.payments.example") {
		t.Errorf("helm test args %q do not check for grpcTls.serverName", args)
	}

	// Rendered whether or not the cluster reports the CRD (the documented choice), never without
	// certManager.enabled.
	for name, args := range map[string]renderArgs{
		"with the CRD":        {sets: sets, apiVersions: []string{"cert-manager.io/v1/Certificate"}},
		"without certManager": {sets: tlsSets(true)},
	} {
		want := 1
		if name == "without certManager" {
			want = 0
		}
		if got := len(mustRender(t, args).Certificates); got != want {
			t.Errorf("%s: %d Certificates, want %d", name, got, want)
		}
	}
}

func TestAuthzPolicyConfigMap(t *testing.T) {
	args := renderArgs{sets: tlsSets(true), jsonSets: []string{"authz.policy=" + testPolicy}}
	r := mustRender(t, args)
	var policy *corev1.ConfigMap
	for i := range r.ConfigMaps {
		if r.ConfigMaps[i].Name == fullname+"-authz" {
			policy = &r.ConfigMaps[i]
		}
	}
	if policy == nil {
		t.Fatalf("no ConfigMap %s-authz", fullname)
	}
	if len(policy.Data) != 1 || policy.Data["policy.json"] != testPolicyJSON {
		t.Errorf("policy ConfigMap data %q, want policy.json %s", policy.Data, testPolicyJSON)
	}
	var rendered, given any
	if err := json.Unmarshal([]byte(policy.Data["policy.json"]), &rendered); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(testPolicy), &given)
	if !reflect.DeepEqual(rendered, given) {
		t.Errorf("policy.json %v is not the policy given %v", rendered, given)
	}

	d, gateway := r.gateway(t)
	spec := &d.Spec.Template.Spec
	if env := r.settings(t, gateway); env["GATEWAY_AUTHZ_POLICY_FILE"] != authzDir+"/policy.json" {
		t.Errorf("GATEWAY_AUTHZ_POLICY_FILE %q", env["GATEWAY_AUTHZ_POLICY_FILE"])
	}
	v, m := volumeNamed(spec, "authz"), mountNamed(gateway, "authz")
	if v == nil || v.ConfigMap == nil || v.ConfigMap.Name != policy.Name || !slices.Equal(itemKeys(v.ConfigMap.Items), []string{"policy.json"}) {
		t.Errorf("policy volume %+v", v)
	}
	if m == nil || m.MountPath != authzDir || m.SubPath != "" || !m.ReadOnly {
		t.Errorf("policy mount %+v: want the whole volume (a subPath is never updated) read-only at %s", m, authzDir)
	}

	// A changed policy changes the ConfigMap alone: the pod template, its annotations included,
	// stays the same, so nothing rolls; the gateway re-reads the file.
	changed := mustRender(t, renderArgs{sets: append(tlsSets(true), "authz.policy.name=orders-v2"), jsonSets: args.jsonSets})
	changedDeployment, _ := changed.gateway(t)
	if before, after := mustJSON(t, d.Spec.Template), mustJSON(t, changedDeployment.Spec.Template); before != after {
		t.Errorf("a policy change changes the pod template (the pods would roll):\n%s\n%s", before, after)
	}
	for _, cm := range changed.ConfigMaps {
		if cm.Name == policy.Name && !strings.Contains(cm.Data["policy.json"], `"name":"orders-v2"`) {
			t.Errorf("the changed policy is not rendered: %s", cm.Data["policy.json"])
		}
	}

	// An existing ConfigMap: mounted the same way, none rendered.
	existing := mustRender(t, renderArgs{sets: append(tlsSets(true), "authz.existingConfigMap=orders-policy")})
	ed, egateway := existing.gateway(t)
	if v := volumeNamed(&ed.Spec.Template.Spec, "authz"); v == nil || v.ConfigMap == nil || v.ConfigMap.Name != "orders-policy" {
		t.Errorf("existingConfigMap: volume %+v", v)
	}
	if env := existing.settings(t, egateway); env["GATEWAY_AUTHZ_POLICY_FILE"] != authzDir+"/policy.json" {
		t.Errorf("existingConfigMap: GATEWAY_AUTHZ_POLICY_FILE %q", env["GATEWAY_AUTHZ_POLICY_FILE"])
	}
	for _, cm := range existing.ConfigMaps {
		if cm.Name != fullname {
			t.Errorf("existingConfigMap, yet the chart renders ConfigMap %s", cm.Name)
		}
	}
}

// Without TLS the probes are exactly the chart's native gRPC probes; with it, the same timings
// over HTTP on the admin port.
func TestProbesMoveToTheAdminPortUnderTLS(t *testing.T) {
	grpcProbe := func(service string, failures int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 50051, Service: &service}},
			PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: failures,
		}
	}
	httpProbe := func(path string, failures int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString("admin")}},
			PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: failures,
		}
	}
	for name, c := range map[string]struct {
		sets                         []string
		startup, liveness, readiness *corev1.Probe
	}{
		"plaintext": {nil, grpcProbe("readiness", 30), grpcProbe("", 3), grpcProbe("readiness", 2)},
		"tls":       {tlsSets(false), httpProbe("/readyz", 30), httpProbe("/healthz", 3), httpProbe("/readyz", 2)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, gateway := mustRender(t, renderArgs{sets: c.sets}).gateway(t)
			for probe, want := range map[string][2]*corev1.Probe{
				"startup":   {gateway.StartupProbe, c.startup},
				"liveness":  {gateway.LivenessProbe, c.liveness},
				"readiness": {gateway.ReadinessProbe, c.readiness},
			} {
				if got := mustJSON(t, want[0]); got != mustJSON(t, want[1]) {
					t.Errorf("%s probe %s, want %s", probe, got, mustJSON(t, want[1]))
				}
			}
		})
	}
}

func TestRefusedSecurityValues(t *testing.T) {
	const live = "partner.environments.live needs grpcTls.enabled, grpcTls.mutual and an authorization policy"
	policy := []string{"authz.policy=" + testPolicy}
	for name, c := range map[string]struct {
		sets, jsonSets []string
		want           string
	}{
		"live in plaintext":             {[]string{"partner.environments.live=true"}, nil, live},
		"live without mutual TLS":       {append(tlsSets(false), "partner.environments.live=true"), policy, live},
		"live without a policy":         {append(tlsSets(true), "partner.environments.live=true"), nil, live},
		"a policy in plaintext":         {nil, policy, "an authorization policy (authz.policy or authz.existingConfigMap) needs grpcTls.enabled"},
		"an existing policy, plaintext": {[]string{"authz.existingConfigMap=p"}, nil, "needs grpcTls.enabled: its principals are the callers' TLS certificates"},
		"mutual in plaintext":           {[]string{"grpcTls.mutual=true"}, nil, "grpcTls.mutual needs grpcTls.enabled"},
		"TLS without a certificate":     {[]string{"grpcTls.enabled=true"}, nil, "grpcTls.enabled needs a certificate: name a kubernetes.io/tls Secret"},
		"a Secret and a Certificate": {append(tlsSets(false), "grpcTls.certManager.enabled=true", "grpcTls.certManager.issuerRef.name=ca"), nil,
			"grpcTls.existingSecret and grpcTls.certManager.enabled exclude each other"},
		"a Certificate without issuer": {[]string{"grpcTls.enabled=true", "grpcTls.certManager.enabled=true"}, nil,
			"grpcTls.certManager.enabled needs grpcTls.certManager.issuerRef.name"},
		"a Certificate in plaintext": {[]string{"grpcTls.certManager.enabled=true", "grpcTls.certManager.issuerRef.name=ca"}, nil,
			"grpcTls.certManager.enabled issues the gRPC port's certificate: set grpcTls.enabled too"},
		"two policies": {append(tlsSets(false), "authz.existingConfigMap=p"), policy, "authz.policy and authz.existingConfigMap exclude each other"},
		"a policy without allow_rules": {tlsSets(false), []string{`authz.policy={"name":"p","deny_rules":[]}`},
			"authz.policy needs a name and allow_rules"},
		// The schema: unknown keys in every new block, as the gateway refuses unknown policy fields.
		"mistyped grpcTls key":     {[]string{"grpcTls.mutal=true"}, nil, "additional properties 'mutal' not allowed"},
		"mistyped certManager key": {[]string{"grpcTls.certManager.issuer=ca"}, nil, "additional properties 'issuer' not allowed"},
		"mistyped issuerRef key":   {[]string{"grpcTls.certManager.issuerRef.nam=ca"}, nil, "additional properties 'nam' not allowed"},
		"mistyped authz key":       {[]string{"authz.policies=x"}, nil, "additional properties 'policies' not allowed"},
		"unknown policy field":     {tlsSets(false), []string{`authz.policy={"name":"p","allow_rules":[],"audit_condition":"ON_DENY"}`}, "additional properties 'audit_condition' not allowed"},
		"unknown rule field": {tlsSets(false), []string{`authz.policy={"name":"p","allow_rules":[{"name":"r","sources":{}}]}`},
			"additional properties 'sources' not allowed"},
		"unknown header field": {tlsSets(false), []string{`authz.policy={"name":"p","allow_rules":[{"name":"r","request":{"headers":[{"key":"k","values":["v"],"invert":true}]}}]}`},
			"additional properties 'invert' not allowed"},
		"a rule without a name": {tlsSets(false), []string{`authz.policy={"name":"p","allow_rules":[{"request":{}}]}`}, "missing property 'name'"},
		"a * inside a pattern": {tlsSets(false), []string{`authz.policy={"name":"p","allow_rules":[{"name":"r","request":{"paths":["/a*b"]}}]}`},
			"/authz/policy/allow_rules/0/request/paths/0"},
		"a bad duration": {[]string{"grpcTls.certManager.duration=90 days"}, nil, "/grpcTls/certManager/duration"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := render(renderArgs{sets: c.sets, jsonSets: c.jsonSets})
			if err == nil {
				t.Fatalf("--set %v --set-json %v rendered; want it refused with %q", c.sets, c.jsonSets, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("--set %v --set-json %v: %v\nwant the message to contain %q", c.sets, c.jsonSets, err, c.want)
			}
		})
	}
}
