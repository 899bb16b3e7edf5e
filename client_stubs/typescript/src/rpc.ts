// The google.rpc messages of rich errors (see errorDetails).
export * from "./gen/google/rpc/error_details";
export * from "./gen/google/rpc/status";
