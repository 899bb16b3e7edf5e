# The partner-gateway image: partner-gateway and partner-sandbox on
# debian:bookworm-slim, with the shared libraries that
# image/runtime-packages.txt lists (checked in CI by image/check-rootfs).
#
#   docker build -t partner-gateway .

# Built with the same Debian packages and CMake preset as CI.
FROM debian:bookworm AS build
WORKDIR /src
COPY .ci/install-deps .ci/install-deps
RUN bash .ci/install-deps
COPY . .
# Stripped: debug info (RelWithDebInfo) is nearly all of the binaries' size.
RUN cmake --preset default \
 && cmake --build --preset default --target partner-gateway partner-sandbox \
 && install -D -s -t /out build/server/main/partner-gateway build/sandbox/partner-sandbox

FROM debian:bookworm-slim
COPY image/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && sed 's/#.*//' /tmp/runtime-packages.txt \
    | DEBIAN_FRONTEND=noninteractive xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt
COPY --from=build /out/ /usr/local/bin/
# The working directory holds the default event log, the SQLite file
# partner-gateway-events.db, so it must be writable by the gateway's user.
# On Kubernetes a volume is mounted here.
RUN install -d -o 65532 -g 65532 -m 0750 /var/lib/partner-gateway
WORKDIR /var/lib/partner-gateway
USER 65532:65532
# gRPC, the Partner's webhooks, admin (/metrics, /healthz).
EXPOSE 50051 8080 9090
# Liveness of the gRPC server on its default port (--grpc-listen).
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["partner-gateway", "probe", "127.0.0.1:50051"]
ENTRYPOINT ["partner-gateway"]
