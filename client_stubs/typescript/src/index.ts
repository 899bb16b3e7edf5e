// @peeker/partner-client: the client (connect), the error helpers, the
// messages and clients of peeker.partner.v1, the google.rpc error details as
// `rpc`, and the grpc-js names a caller needs, so that its code uses the same
// copy of grpc-js as the client.
export { type CallOptions, Metadata, type ServiceError, status } from "@grpc/grpc-js";
export * from "./client";
export * from "./errors";
export * from "./gen/peeker/partner/v1/account";
export * from "./gen/peeker/partner/v1/bundle";
export * from "./gen/peeker/partner/v1/common";
export * from "./gen/peeker/partner/v1/domain";
export * from "./gen/peeker/partner/v1/order";
export * from "./gen/peeker/partner/v1/order_event";
export * from "./gen/peeker/partner/v1/swap";
export * from "./gen/peeker/partner/v1/user";
export * as rpc from "./rpc";
