package helm

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"testing"
	"time"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
)

// testPKI is a CA made for one test, and what it issues: nothing of it outlives the test's
// temporary directories.
type testPKI struct {
	cert  *x509.Certificate
	key   *ecdsa.PrivateKey
	caPEM string
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	key := newKey(t)
	template := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: "partner-gateway helm test CA"},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testPKI{cert: cert, key: key, caPEM: encodePEM("CERTIFICATE", der)}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func serial(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func encodePEM(kind string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}))
}

// issue signs a leaf certificate from template with a fresh ECDSA P-256 key, and returns the
// certificate and its key as PEM (the key in SEC 1, as cert-manager writes an ECDSA key).
func (p *testPKI) issue(t *testing.T, template *x509.Certificate) (certPEM, keyPEM string) {
	t.Helper()
	key := newKey(t)
	template.SerialNumber = serial(t)
	if template.NotBefore.IsZero() {
		template.NotBefore = time.Now().Add(-time.Minute)
	}
	if template.NotAfter.IsZero() {
		template.NotAfter = time.Now().Add(time.Hour)
	}
	der, err := x509.CreateCertificate(rand.Reader, template, p.cert, &key.PublicKey, p.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return encodePEM("CERTIFICATE", der), encodePEM("EC PRIVATE KEY", keyDER)
}

// secretFor plays cert-manager's part for a rendered Certificate: the kubernetes.io/tls Secret's
// tls.crt, tls.key and ca.crt, for the Certificate's dnsNames, usages and duration. The gateway
// under test listens on loopback, so the certificate also names localhost and 127.0.0.1.
func (p *testPKI) secretFor(t *testing.T, c *certmanagerv1.Certificate) map[string]string {
	t.Helper()
	template := &x509.Certificate{
		Subject:     pkix.Name{CommonName: c.Spec.DNSNames[0]},
		DNSNames:    append(append([]string{}, c.Spec.DNSNames...), "localhost"),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	if c.Spec.Duration != nil {
		template.NotAfter = time.Now().Add(c.Spec.Duration.Duration)
	}
	for _, usage := range c.Spec.Usages {
		switch usage {
		case certmanagerv1.UsageDigitalSignature:
			template.KeyUsage |= x509.KeyUsageDigitalSignature
		case certmanagerv1.UsageKeyEncipherment:
			template.KeyUsage |= x509.KeyUsageKeyEncipherment
		case certmanagerv1.UsageServerAuth:
			template.ExtKeyUsage = append(template.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		case certmanagerv1.UsageClientAuth:
			template.ExtKeyUsage = append(template.ExtKeyUsage, x509.ExtKeyUsageClientAuth)
		default:
			t.Fatalf("Certificate %s: usage %q, which this test does not issue", c.Name, usage)
		}
	}
	cert, key := p.issue(t, template)
	return map[string]string{"tls.crt": cert, "tls.key": key, "ca.crt": p.caPEM}
}

// client issues a client certificate whose only name is a URI SAN (a SPIFFE ID), as a workload's
// certificate in a mesh would be.
func (p *testPKI) client(t *testing.T, id string) (certPEM, keyPEM string) {
	t.Helper()
	uri, err := url.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	return p.issue(t, &x509.Certificate{
		URIs:        []*url.URL{uri},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
}
