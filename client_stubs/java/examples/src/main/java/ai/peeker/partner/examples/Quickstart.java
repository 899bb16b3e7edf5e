package ai.peeker.partner.examples;

import ai.peeker.partner.client.ErrorDetails;
import ai.peeker.partner.client.OrderEventStream;
import ai.peeker.partner.client.PartnerClient;
import ai.peeker.partner.v1.Bundle;
import ai.peeker.partner.v1.CheckAvailabilityRequest;
import ai.peeker.partner.v1.CheckAvailabilityResponse;
import ai.peeker.partner.v1.CreateBundleRequest;
import ai.peeker.partner.v1.DomainAvailability;
import ai.peeker.partner.v1.DomainImport;
import ai.peeker.partner.v1.DomainImportStatus;
import ai.peeker.partner.v1.ImportDomainsRequest;
import ai.peeker.partner.v1.ImportedDomain;
import ai.peeker.partner.v1.MailProvider;
import ai.peeker.partner.v1.NameserverGroup;
import ai.peeker.partner.v1.Order;
import ai.peeker.partner.v1.OrderDomain;
import ai.peeker.partner.v1.OrderEvent;
import ai.peeker.partner.v1.Persona;
import ai.peeker.partner.v1.PlaceOrderRequest;
import ai.peeker.partner.v1.RequiredDomains;
import ai.peeker.partner.v1.Sequencer;
import ai.peeker.partner.v1.SequencerProvider;
import ai.peeker.partner.v1.StreamOrderEventsRequest;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Partner quickstart through the gateway: create a bundle, import the domains the customer
 * already owns, check which candidate domains can be bought, place the order, and follow its events
 * until it completes. Usage: {@code Quickstart [--gateway HOST:PORT]}.
 */
public final class Quickstart {
  private static final int STEPS = 5;
  private static final long STREAM_LIMIT_MINUTES = 2;
  private static final List<String> OWNED_DOMAINS = List.of("acme-sales.com", "acmeteam.io");
  private static final Set<String> ORDER_FAILURES =
      Set.of("order.failed", "order.cancelled", "order.action_required");

  /** Ends the quickstart with "failed: <reason>". */
  private static final class QuickstartFailure extends Exception {
    QuickstartFailure(String reason) {
      super(reason);
    }
  }

  private final PartnerClient client;

  private Quickstart(PartnerClient client) {
    this.client = client;
  }

  public static void main(String[] args) {
    String target = "localhost:50051";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--gateway") && i + 1 < args.length) {
        target = args[++i];
      } else {
        System.err.println("usage: Quickstart [--gateway HOST:PORT]");
        System.exit(2);
      }
    }
    int exitCode = 0;
    try (PartnerClient client = PartnerClient.connect(target)) {
      System.out.printf(
          "Partner quickstart through the gateway at %s (sandbox environment)%n", target);
      System.out.flush();
      new Quickstart(client).run();
      System.out.println("Quickstart complete.");
    } catch (StatusRuntimeException e) {
      detail("failed: %s", ErrorDetails.of(e));
      exitCode = 1;
    } catch (QuickstartFailure e) {
      detail("failed: %s", e.getMessage());
      exitCode = 1;
    }
    System.out.flush();
    System.exit(exitCode);
  }

  private void run() throws QuickstartFailure {
    Bundle bundle = createBundle();
    List<String> orderDomains = importDomains();
    pickAvailableDomains(bundle.getRequiredDomains(), orderDomains);
    Order order = placeOrder(bundle, orderDomains);
    followOrder(order);
  }

  private Bundle createBundle() throws QuickstartFailure {
    step(
        1,
        "CreateBundle: \"Starter - 25k emails/month\", weekdays only, 2 Google inboxes per domain");
    CreateBundleRequest request =
        CreateBundleRequest.newBuilder()
            .setName("Starter - 25k emails/month")
            .setMonthlySendingVolume(25_000)
            .setSendOnWeekends(false)
            .setGoogleInboxesPerDomain(2)
            .build();
    // A split that does not sum to 100 first: the gateway refuses it before calling the Partner,
    // with the reason and the offending field in the error's details.
    try {
      client
          .bundles()
          .createBundle(request.toBuilder().setGooglePercent(80).setMicrosoftPercent(30).build());
      throw new QuickstartFailure("a bundle with an 80/30 split was accepted");
    } catch (StatusRuntimeException e) {
      ErrorDetails details = ErrorDetails.of(e);
      if (details.code() != Status.Code.INVALID_ARGUMENT
          || details.errorInfo().isEmpty()
          || details.badRequest().isEmpty()) {
        throw e;
      }
      StringBuilder refused =
          new StringBuilder(details.code().name())
              .append(" reason=")
              .append(details.errorInfo().get().getReason());
      for (BadRequest.FieldViolation violation :
          details.badRequest().get().getFieldViolationsList()) {
        refused.append(
            String.format(" field=%s (%s)", violation.getField(), violation.getDescription()));
      }
      detail("refused: %s", refused);
    }

    Bundle bundle = client.bundles().createBundle(request).getBundle();
    RequiredDomains required = bundle.getRequiredDomains();
    detail(
        "bundle %s needs %d domains: %d Google + %d Microsoft (split %d/%d)",
        bundle.getId(),
        required.getTotal(),
        required.getGoogle(),
        required.getMicrosoft(),
        bundle.getEffective().getGooglePercent(),
        bundle.getEffective().getMicrosoftPercent());
    return bundle;
  }

  /** Imports the customer's own domains; returns those imported, the first domains of the order. */
  private List<String> importDomains() {
    step(
        2,
        String.format(
            "ImportDomains: the customer's own %s and %s",
            OWNED_DOMAINS.get(0), OWNED_DOMAINS.get(1)));
    DomainImport domainImport =
        client
            .domains()
            .importDomains(ImportDomainsRequest.newBuilder().addAllDomains(OWNED_DOMAINS).build())
            .getDomainImport();
    List<String> imported = new ArrayList<>();
    for (ImportedDomain row : domainImport.getDomainsList()) {
      if (row.getStatus() == DomainImportStatus.DOMAIN_IMPORT_STATUS_COMPLETED) {
        imported.add(row.getDomain());
      }
    }
    detail(
        "import %s: %d of %d imported",
        domainImport.getId(), imported.size(), OWNED_DOMAINS.size());
    for (NameserverGroup group : domainImport.getNameserverGroupsList()) {
      for (String nameserver : group.getNameserversList()) {
        detail("point at nameserver %s", nameserver);
      }
    }
    return imported;
  }

  /**
   * Adds available candidates to {@code orderDomains} until the bundle's needs are met. Imported
   * domains count as Microsoft-capable; the other Microsoft domains must list Microsoft in
   * usable_for, so those are taken first, then any available name fills up to the total.
   */
  private void pickAvailableDomains(RequiredDomains required, List<String> orderDomains)
      throws QuickstartFailure {
    List<String> candidates = candidates();
    step(3, String.format("CheckAvailability: %d candidate names", candidates.size()));
    CheckAvailabilityResponse availability =
        client
            .domains()
            .checkAvailability(
                CheckAvailabilityRequest.newBuilder().addAllDomains(candidates).build());
    int microsoftNeeded = required.getMicrosoft() - orderDomains.size();
    int available = 0;
    List<String> others = new ArrayList<>();
    for (DomainAvailability row : availability.getDomainsList()) {
      if (!row.getAvailable()) {
        continue;
      }
      available++;
      if (microsoftNeeded > 0
          && row.getUsableForList().contains(MailProvider.MAIL_PROVIDER_MICROSOFT)) {
        orderDomains.add(row.getDomain());
        microsoftNeeded--;
      } else {
        others.add(row.getDomain());
      }
    }
    for (String name : others) {
      if (orderDomains.size() >= required.getTotal()) {
        break;
      }
      orderDomains.add(name);
    }
    detail(
        "%d of %d available; picked %d domains for the order",
        available, candidates.size(), orderDomains.size());
    if (orderDomains.size() < required.getTotal() || microsoftNeeded > 0) {
      throw new QuickstartFailure("not enough usable domains for the bundle");
    }
  }

  /** Candidate names for the customer "acme": one availability call's worth. */
  private static List<String> candidates() {
    List<String> names = new ArrayList<>();
    for (String word :
        List.of("mail", "team", "hq", "go", "get", "try", "hello", "reach", "send", "news")) {
      names.add("acme-" + word + ".com");
      names.add(word + "-acme.com");
      names.add("acme" + word + ".io");
      names.add("acme-" + word + ".co");
      names.add("the-acme-" + word + ".com");
    }
    return names;
  }

  private Order placeOrder(Bundle bundle, List<String> orderDomains) {
    step(4, "PlaceOrder: bundle order for alex@acme.com, Smartlead sequencer");
    PlaceOrderRequest.Builder request =
        PlaceOrderRequest.newBuilder()
            .setUser("alex@acme.com")
            .setBundleId(bundle.getId())
            .setSequencer(
                Sequencer.newBuilder()
                    .setProvider(SequencerProvider.SEQUENCER_PROVIDER_SMARTLEAD)
                    .setClientId(366903)
                    .setLoginEmail("peeker@yourcompany.com")
                    .setLoginPassword("sandbox-demo-login"))
            .setForwardingUrl("https://acme.com");
    for (String name : orderDomains) {
      request.addDomains(OrderDomain.newBuilder().setDomain(name));
    }
    request.addPersonas(persona("Alex", "Rivera")).addPersonas(persona("Sam", "Lee"));
    Order order = client.orders().placeOrder(request.build()).getOrder();
    detail(
        "order %s for %s: %s, %d domains, total %.2f %s",
        order.getId(),
        order.getEmail(),
        order.getStatus().name(),
        order.getDomainCount(),
        order.getCosts().getTotalCents() / 100.0,
        order.getCosts().getCurrency());
    return order;
  }

  private static Persona persona(String firstName, String lastName) {
    // The gateway requires profile_picture_url to be present; empty means no picture.
    return Persona.newBuilder()
        .setFirstName(firstName)
        .setLastName(lastName)
        .setProfilePictureUrl("")
        .build();
  }

  /**
   * Follows the order's events from its first one until it completes, resuming across gateway
   * restarts, for at most STREAM_LIMIT_MINUTES.
   */
  private void followOrder(Order order) throws QuickstartFailure {
    step(5, String.format("StreamOrderEvents: %s, from its first event", order.getId()));
    StreamOrderEventsRequest request =
        StreamOrderEventsRequest.newBuilder()
            .addOrderIds(order.getId())
            .setResumeAfter("0")
            .build();
    Set<String> connected = new LinkedHashSet<>();
    try (OrderEventStream events =
        client.streamOrderEvents(
            request,
            (status, cursor) ->
                detail(
                    "stream cut: %s; resuming after cursor %s", status.getCode().name(), cursor))) {
      CompletableFuture.delayedExecutor(STREAM_LIMIT_MINUTES, TimeUnit.MINUTES)
          .execute(events::close);
      while (events.hasNext()) {
        OrderEvent event = events.next();
        String line =
            String.format("event %s %s %s", event.getCursor(), event.getType(), event.getId());
        if (event.getType().equals("domain.connected")) {
          String domain = connectedDomain(event.getData());
          connected.add(domain);
          line += " " + domain;
        }
        detail("%s", line);
        if (event.getType().equals("order.completed")) {
          detail(
              "order %s completed: %d of %d domains connected",
              order.getId(), connected.size(), order.getDomainCount());
          return;
        }
        if (ORDER_FAILURES.contains(event.getType())) {
          throw new QuickstartFailure(
              String.format("order %s: %s", order.getId(), event.getType()));
        }
      }
    }
    throw new QuickstartFailure(
        String.format(
            "order %s did not complete within %d minutes", order.getId(), STREAM_LIMIT_MINUTES));
  }

  /** The domain a domain.connected event names: data.domain.name, or data.name when flat. */
  private static String connectedDomain(Struct data) {
    Value domain = data.getFieldsOrDefault("domain", Value.getDefaultInstance());
    Struct named = domain.hasStructValue() ? domain.getStructValue() : data;
    return named.getFieldsOrDefault("name", Value.getDefaultInstance()).getStringValue();
  }

  private static void step(int number, String what) {
    System.out.printf("[%d/%d] %s%n", number, STEPS, what);
    System.out.flush();
  }

  /** Prints one indented detail line; Locale.ROOT keeps "12.34" whatever the machine's locale. */
  private static void detail(String format, Object... args) {
    System.out.println("      " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
