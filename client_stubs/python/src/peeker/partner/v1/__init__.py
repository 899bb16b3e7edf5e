"""Messages and gRPC stubs generated from protos/peeker/partner/v1 (see generate.sh)."""
