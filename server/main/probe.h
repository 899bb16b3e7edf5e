// `partner-gateway probe [TLS FLAGS] ADDRESS [SERVICE]`: asks the gRPC health
// service at ADDRESS about SERVICE ("" by default: liveness) and exits 0 when
// it answers SERVING, 1 otherwise (another status, an unknown service, no
// answer within 2 s), 2 for bad arguments. For exec probes, `helm test` and
// a container HEALTHCHECK, with nothing but the gateway's own binary.
//
// Plaintext unless --ca-file is given: then TLS trusting that CA, presenting
// --cert-file and --key-file when the port requires mutual TLS, and checking
// the certificate against --server-name when ADDRESS is not a name in it.
#ifndef SERVER_MAIN_PROBE_H_
#define SERVER_MAIN_PROBE_H_

#include <string>
#include <vector>

namespace gateway {

// `args` follow the word "probe". Prints one line: the status, or the error.
int Probe(const std::vector<std::string>& args);

}  // namespace gateway

#endif  // SERVER_MAIN_PROBE_H_
