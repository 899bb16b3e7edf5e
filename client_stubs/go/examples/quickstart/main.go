// Command quickstart runs the Partner quickstart through the gateway: it
// shows a refused bundle's error details, creates a bundle, imports the
// domains the customer already owns, checks which candidate domains can be
// bought, places the order, and follows the order's events, across gateway
// restarts, until it completes.
//
// Usage: quickstart [--gateway HOST:PORT]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/peeker/partner-gateway/client_stubs/go/partnerclient"
	partnerv1 "github.com/peeker/partner-gateway/client_stubs/go/peeker/partner/v1"
)

const steps = 5

// How long step 5 follows the order before giving up.
const streamLimit = 2 * time.Minute

// say prints one line; stdout is unbuffered, so each line is out at once.
func say(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
}

func step(n int, what string) {
	say("[%d/%d] %s", n, steps, what)
}

// errFailed ends the run with exit status 1 after its line was printed.
var errFailed = errors.New("quickstart failed")

// fail prints the failed call's details.
func fail(err error) error {
	say("      failed: %s", partnerclient.DetailsOf(err))
	return errFailed
}

func main() {
	target := flag.String("gateway", "localhost:50051", "the gateway's gRPC address, HOST:PORT")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*target); err != nil {
		if !errors.Is(err, errFailed) {
			say("      failed: %v", err)
		}
		os.Exit(1)
	}
}

func run(target string) error {
	client, err := partnerclient.New(target)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx := context.Background()
	say("Partner quickstart through the gateway at %s (sandbox environment)", target)

	step(1, `CreateBundle: "Starter - 25k emails/month", weekdays only, 2 Google inboxes per domain`)
	bundleRequest := &partnerv1.CreateBundleRequest{
		Name:                   "Starter - 25k emails/month",
		MonthlySendingVolume:   25000,
		SendOnWeekends:         proto.Bool(false),
		GoogleInboxesPerDomain: proto.Int32(2),
	}
	if err := showRefusal(ctx, client, bundleRequest); err != nil {
		return err
	}
	bundleReply, err := client.Bundles().CreateBundle(ctx, bundleRequest)
	if err != nil {
		return fail(err)
	}
	bundle := bundleReply.GetBundle()
	required := bundle.GetRequiredDomains()
	say("      bundle %s needs %d domains: %d Google + %d Microsoft (split %d/%d)", bundle.GetId(),
		required.GetTotal(), required.GetGoogle(), required.GetMicrosoft(),
		bundle.GetEffective().GetGooglePercent(), bundle.GetEffective().GetMicrosoftPercent())

	owned := []string{"acme-sales.com", "acmeteam.io"}
	step(2, fmt.Sprintf("ImportDomains: the customer's own %s and %s", owned[0], owned[1]))
	imported, err := client.Domains().ImportDomains(ctx, &partnerv1.ImportDomainsRequest{Domains: owned})
	if err != nil {
		return fail(err)
	}
	var orderDomains []string
	for _, row := range imported.GetDomainImport().GetDomains() {
		if row.GetStatus() == partnerv1.DomainImportStatus_DOMAIN_IMPORT_STATUS_COMPLETED {
			orderDomains = append(orderDomains, row.GetDomain())
		}
	}
	say("      import %s: %d of %d imported", imported.GetDomainImport().GetId(), len(orderDomains), len(owned))
	for _, group := range imported.GetDomainImport().GetNameserverGroups() {
		for _, nameserver := range group.GetNameservers() {
			say("      point at nameserver %s", nameserver)
		}
	}

	// Imported domains count as Microsoft-capable in the sandbox; the rest
	// must come from names that list Microsoft in usable_for.
	names := candidates()
	step(3, fmt.Sprintf("CheckAvailability: %d candidate names", len(names)))
	availability, err := client.Domains().CheckAvailability(ctx, &partnerv1.CheckAvailabilityRequest{Domains: names})
	if err != nil {
		return fail(err)
	}
	microsoftNeeded := int(required.GetMicrosoft()) - len(orderDomains)
	var googleOnly []string
	available := 0
	for _, row := range availability.GetDomains() {
		if !row.GetAvailable() {
			continue
		}
		available++
		if microsoftNeeded > 0 && slices.Contains(row.GetUsableFor(), partnerv1.MailProvider_MAIL_PROVIDER_MICROSOFT) {
			orderDomains = append(orderDomains, row.GetDomain())
			microsoftNeeded--
		} else {
			googleOnly = append(googleOnly, row.GetDomain())
		}
	}
	for _, name := range googleOnly {
		if len(orderDomains) >= int(required.GetTotal()) {
			break
		}
		orderDomains = append(orderDomains, name)
	}
	say("      %d of %d available; picked %d domains for the order", available, len(names), len(orderDomains))
	if len(orderDomains) < int(required.GetTotal()) || microsoftNeeded > 0 {
		say("      failed: not enough usable domains for the bundle")
		return errFailed
	}

	step(4, "PlaceOrder: bundle order for alex@acme.com, Smartlead sequencer")
	orderRequest := &partnerv1.PlaceOrderRequest{
		User: "alex@acme.com",
		Plan: &partnerv1.PlaceOrderRequest_BundleId{BundleId: bundle.GetId()},
		Sequencer: &partnerv1.Sequencer{
			Provider:      partnerv1.SequencerProvider_SEQUENCER_PROVIDER_SMARTLEAD,
			ClientId:      proto.Int64(366903),
			LoginEmail:    "peeker@yourcompany.com",
			LoginPassword: "sandbox-demo-login",
		},
		ForwardingUrl: "https://acme.com",
		Personas: []*partnerv1.Persona{
			{FirstName: "Alex", LastName: "Rivera", ProfilePictureUrl: proto.String("")},
			{FirstName: "Sam", LastName: "Lee", ProfilePictureUrl: proto.String("")},
		},
	}
	for _, name := range orderDomains {
		orderRequest.Domains = append(orderRequest.Domains, &partnerv1.OrderDomain{Domain: name})
	}
	orderReply, err := client.Orders().PlaceOrder(ctx, orderRequest)
	if err != nil {
		return fail(err)
	}
	order := orderReply.GetOrder()
	say("      order %s for %s: %s, %d domains, total %.2f %s", order.GetId(), order.GetEmail(), order.GetStatus(),
		order.GetDomainCount(), float64(order.GetCosts().GetTotalCents())/100, order.GetCosts().GetCurrency())

	step(5, fmt.Sprintf("StreamOrderEvents: %s, from its first event", order.GetId()))
	if err := followOrder(ctx, client, order); err != nil {
		return err
	}
	say("Quickstart complete.")
	return nil
}

// showRefusal sends the bundle with a split that does not sum to 100 and
// prints why the gateway refused it, from the error's details.
func showRefusal(ctx context.Context, client *partnerclient.Client, bundle *partnerv1.CreateBundleRequest) error {
	invalid := proto.CloneOf(bundle)
	invalid.GooglePercent = proto.Int32(80)
	invalid.MicrosoftPercent = proto.Int32(30)
	_, err := client.Bundles().CreateBundle(ctx, invalid)
	if status.Code(err) != codes.InvalidArgument {
		say("      failed: the invalid split was not refused with INVALID_ARGUMENT: %s", partnerclient.DetailsOf(err))
		return errFailed
	}
	details := partnerclient.DetailsOf(err)
	line := fmt.Sprintf("      refused: %s reason=%s", partnerclient.CodeName(details.Code), details.ErrorInfo.GetReason())
	for _, violation := range details.BadRequest.GetFieldViolations() {
		line += fmt.Sprintf(" field=%s (%s)", violation.GetField(), violation.GetDescription())
	}
	say("%s", line)
	return nil
}

// followOrder prints the order's events from its first one until it
// completes; a failed, cancelled or blocked order is an error.
func followOrder(ctx context.Context, client *partnerclient.Client, order *partnerv1.Order) error {
	ctx, cancel := context.WithTimeout(ctx, streamLimit)
	defer cancel()
	request := &partnerv1.StreamOrderEventsRequest{OrderIds: []string{order.GetId()}, ResumeAfter: "0"}
	logResume := partnerclient.OnResume(func(cut *status.Status, resumeAfter string) {
		say("      stream cut: %s; resuming after cursor %s", partnerclient.CodeName(cut.Code()), resumeAfter)
	})
	connected := map[string]bool{}
	for event, err := range client.StreamOrderEvents(ctx, request, logResume) {
		if err != nil {
			return fail(err)
		}
		line := fmt.Sprintf("      event %s %s %s", event.GetCursor(), event.GetType(), event.GetId())
		switch event.GetType() {
		case "domain.connected":
			name := domainName(event)
			connected[name] = true
			line += " " + name
		case "order.completed":
			say("%s", line)
			say("      order %s completed: %d of %d domains connected", order.GetId(), len(connected),
				order.GetDomainCount())
			return nil
		case "order.failed", "order.cancelled", "order.action_required":
			say("%s", line)
			say("      failed: order %s ended with %s", order.GetId(), event.GetType())
			return errFailed
		}
		say("%s", line)
	}
	say("      failed: the event stream ended before the order completed")
	return errFailed
}

// domainName is the connected domain of a domain.connected event: the
// Partner sends it as data.domain.name, or flat as data.name.
func domainName(event *partnerv1.OrderEvent) string {
	data := event.GetData().GetFields()
	if domain := data["domain"].GetStructValue(); domain != nil {
		return domain.GetFields()["name"].GetStringValue()
	}
	return data["name"].GetStringValue()
}

// candidates are names for the customer "acme": one availability call's worth.
func candidates() []string {
	var names []string
	for _, word := range strings.Fields("mail team hq go get try hello reach send news") {
		names = append(names,
			"acme-"+word+".com", word+"-acme.com", "acme"+word+".io", "acme-"+word+".co", "the-acme-"+word+".com")
	}
	return names
}
