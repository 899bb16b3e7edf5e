// The Partner quickstart through the gateway: create a bundle (after one the
// gateway refuses), import the domains the customer already owns, check which
// candidate domains can be bought, place the order, and follow its events
// until it completes, resuming the stream if the gateway restarts.
// Usage: node quickstart.js [--gateway HOST:PORT]
import {
  CheckAvailabilityRequest,
  connect,
  CreateBundleRequest,
  describeError,
  DomainImportStatus,
  errorDetails,
  ImportDomainsRequest,
  isServiceError,
  MailProvider,
  orderStatusToJSON,
  type PartnerClient,
  PlaceOrderRequest,
  SequencerProvider,
  status,
  StreamOrderEventsRequest,
} from "@peeker/partner-client";

const STEPS = 5;
const STREAM_LIMIT_MS = 2 * 60_000;
const INDENT = "      ";

// console.log writes synchronously to pipes and files on Linux, so every line
// is out before the next step (or a crash) happens.
function step(n: number, what: string): void {
  console.log(`[${n}/${STEPS}] ${what}`);
}

function say(line: string): void {
  console.log(INDENT + line);
}

// Candidate names for the customer "acme": one availability call's worth.
function candidates(): string[] {
  const words = ["mail", "team", "hq", "go", "get", "try", "hello", "reach", "send", "news"];
  return words.flatMap((word) => [
    `acme-${word}.com`,
    `${word}-acme.com`,
    `acme${word}.io`,
    `acme-${word}.co`,
    `the-acme-${word}.com`,
  ]);
}

function parseTarget(args: string[]): string {
  if (args.length === 0) return "localhost:50051";
  if (args.length === 2 && args[0] === "--gateway") return args[1];
  console.error("usage: quickstart [--gateway HOST:PORT]");
  process.exit(2);
}

async function main(): Promise<number> {
  const target = parseTarget(process.argv.slice(2));
  const client = connect(target);
  console.log(`Partner quickstart through the gateway at ${target} (sandbox environment)`);
  try {
    return await quickstart(client);
  } catch (error) {
    say(`failed: ${describeError(error)}`);
    return 1;
  } finally {
    client.close();
  }
}

async function quickstart(client: PartnerClient): Promise<number> {
  step(1, 'CreateBundle: "Starter - 25k emails/month", weekdays only, 2 Google inboxes per domain');
  const bundleRequest = CreateBundleRequest.fromPartial({
    name: "Starter - 25k emails/month",
    monthlySendingVolume: 25_000,
    sendOnWeekends: false,
    googleInboxesPerDomain: 2,
  });
  // A split that does not sum to 100 first: the gateway refuses it with
  // INVALID_ARGUMENT, and the rich details name the reason and the field.
  try {
    await client.bundles.createBundle({ ...bundleRequest, googlePercent: 80, microsoftPercent: 30 });
    say("failed: a 80/30 split was accepted");
    return 1;
  } catch (error) {
    if (!isServiceError(error) || error.code !== status.INVALID_ARGUMENT) throw error;
    const { codeName, errorInfo, badRequest } = errorDetails(error);
    const violations = badRequest?.fieldViolations ?? [];
    if (errorInfo === undefined || violations.length === 0) throw error;
    const fields = violations.map((violation) => ` field=${violation.field} (${violation.description})`).join("");
    say(`refused: ${codeName} reason=${errorInfo.reason}${fields}`);
  }
  const { bundle } = await client.bundles.createBundle(bundleRequest);
  const required = bundle?.requiredDomains;
  if (bundle === undefined || required === undefined || bundle.effective === undefined) {
    say("failed: the bundle came back without its required domains");
    return 1;
  }
  say(
    `bundle ${bundle.id} needs ${required.total} domains: ${required.google} Google + ${required.microsoft} Microsoft ` +
      `(split ${bundle.effective.googlePercent}/${bundle.effective.microsoftPercent})`,
  );

  const owned = ["acme-sales.com", "acmeteam.io"];
  step(2, `ImportDomains: the customer's own ${owned[0]} and ${owned[1]}`);
  const { domainImport } = await client.domains.importDomains(ImportDomainsRequest.fromPartial({ domains: owned }));
  const orderDomains = (domainImport?.domains ?? [])
    .filter((row) => row.status === DomainImportStatus.DOMAIN_IMPORT_STATUS_COMPLETED)
    .map((row) => row.domain);
  say(`import ${domainImport?.id}: ${orderDomains.length} of ${owned.length} imported`);
  for (const group of domainImport?.nameserverGroups ?? []) {
    for (const nameserver of group.nameservers) say(`point at nameserver ${nameserver}`);
  }

  // Imported domains count as Microsoft-capable in the sandbox; the rest
  // must come from names that list Microsoft in usable_for.
  const names = candidates();
  step(3, `CheckAvailability: ${names.length} candidate names`);
  const availability = await client.domains.checkAvailability(CheckAvailabilityRequest.fromPartial({ domains: names }));
  let microsoftNeeded = required.microsoft - orderDomains.length;
  const googleOnly: string[] = [];
  const available = availability.domains.filter((row) => row.available);
  for (const row of available) {
    if (microsoftNeeded > 0 && row.usableFor.includes(MailProvider.MAIL_PROVIDER_MICROSOFT)) {
      orderDomains.push(row.domain);
      microsoftNeeded--;
    } else {
      googleOnly.push(row.domain);
    }
  }
  orderDomains.push(...googleOnly.slice(0, Math.max(0, required.total - orderDomains.length)));
  say(`${available.length} of ${names.length} available; picked ${orderDomains.length} domains for the order`);
  if (orderDomains.length < required.total || microsoftNeeded > 0) {
    say("failed: not enough usable domains for the bundle");
    return 1;
  }

  step(4, "PlaceOrder: bundle order for alex@acme.com, Smartlead sequencer");
  const { order } = await client.orders.placeOrder(
    PlaceOrderRequest.fromPartial({
      user: "alex@acme.com",
      bundleId: bundle.id,
      sequencer: {
        provider: SequencerProvider.SEQUENCER_PROVIDER_SMARTLEAD,
        clientId: 366903,
        loginEmail: "peeker@yourcompany.com",
        loginPassword: "sandbox-demo-login",
      },
      forwardingUrl: "https://acme.com",
      domains: orderDomains.map((domain) => ({ domain })),
      personas: [
        { firstName: "Alex", lastName: "Rivera", profilePictureUrl: "" },
        { firstName: "Sam", lastName: "Lee", profilePictureUrl: "" },
      ],
    }),
  );
  if (order === undefined) {
    say("failed: PlaceOrder returned no order");
    return 1;
  }
  const total = ((order.costs?.totalCents ?? 0) / 100).toFixed(2);
  say(
    `order ${order.id} for ${order.email}: ${orderStatusToJSON(order.status)}, ${order.domainCount} domains, ` +
      `total ${total} ${order.costs?.currency}`,
  );

  step(5, `StreamOrderEvents: ${order.id}, from its first event`);
  const connected = new Set<string>();
  const deadline = AbortSignal.timeout(STREAM_LIMIT_MS);
  const events = client.streamOrderEvents(
    StreamOrderEventsRequest.fromPartial({ orderIds: [order.id], resumeAfter: "0" }),
    {
      onResume: (error, cursor) => say(`stream cut: ${status[error.code]}; resuming after cursor ${cursor}`),
      signal: deadline,
    },
  );
  try {
    for await (const event of events) {
      if (event.type === "domain.connected") {
        const name: string = event.data?.domain?.name ?? event.data?.name ?? "";
        connected.add(name);
        say(`event ${event.cursor} ${event.type} ${event.id} ${name}`);
      } else {
        say(`event ${event.cursor} ${event.type} ${event.id}`);
      }
      if (event.type === "order.completed") {
        say(`order ${order.id} completed: ${connected.size} of ${order.domainCount} domains connected`);
        console.log("Quickstart complete.");
        return 0;
      }
      if (["order.failed", "order.cancelled", "order.action_required"].includes(event.type)) {
        say(`failed: order ${order.id} reported ${event.type}`);
        return 1;
      }
    }
  } catch (error) {
    if (deadline.aborted) {
      say(`failed: no order.completed within ${STREAM_LIMIT_MS / 60_000} minutes`);
      return 1;
    }
    throw error;
  }
  say("failed: the event stream ended before order.completed");
  return 1;
}

main().then((code) => process.exit(code));
