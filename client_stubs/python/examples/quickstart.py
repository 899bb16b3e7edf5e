"""The Partner quickstart through the gateway: create a bundle, import the
domains the customer already owns, check which candidate domains can be
bought, place the order, and follow its events until it completes.

Usage: python quickstart.py [--gateway HOST:PORT]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import List, Set

import grpc

from peeker.partner.client import ErrorDetails, error_details
from peeker.partner.client.aio import AsyncPartnerClient, connect
from peeker.partner.v1 import bundle_pb2, common_pb2, domain_pb2, order_event_pb2, order_pb2

STEPS = 5
OWNED_DOMAINS = ["acme-sales.com", "acmeteam.io"]
FOLLOW_LIMIT_SECONDS = 120
FAILED_EVENT_TYPES = {"order.failed", "order.cancelled", "order.action_required"}


class QuickstartFailed(Exception):
    """Ends the quickstart with `failed: <message>`."""


def say(line: str) -> None:
    print(line, flush=True)


def step(number: int, what: str) -> None:
    say(f"[{number}/{STEPS}] {what}")


def candidates() -> List[str]:
    """Candidate names for the customer "acme": one availability call's worth."""
    words = ["mail", "team", "hq", "go", "get", "try", "hello", "reach", "send", "news"]
    names = []
    for word in words:
        names += [f"acme-{word}.com", f"{word}-acme.com", f"acme{word}.io", f"acme-{word}.co", f"the-acme-{word}.com"]
    return names


async def create_bundle(client: AsyncPartnerClient) -> bundle_pb2.Bundle:
    step(1, 'CreateBundle: "Starter - 25k emails/month", weekdays only, 2 Google inboxes per domain')
    request = bundle_pb2.CreateBundleRequest(
        name="Starter - 25k emails/month",
        monthly_sending_volume=25000,
        send_on_weekends=False,
        google_inboxes_per_domain=2,
    )
    # A split that does not add up to 100 first: the gateway refuses it before
    # calling the Partner, and says why in the error's details.
    invalid = bundle_pb2.CreateBundleRequest()
    invalid.CopyFrom(request)
    invalid.google_percent = 80
    invalid.microsoft_percent = 30
    try:
        await client.bundles.CreateBundle(invalid)
    except grpc.RpcError as error:
        say(f"      refused: {describe_refusal(error_details(error))}")
    else:
        raise QuickstartFailed("the gateway accepted a 80/30 split")

    bundle = (await client.bundles.CreateBundle(request)).bundle
    required = bundle.required_domains
    say(
        f"      bundle {bundle.id} needs {required.total} domains: {required.google} Google + "
        f"{required.microsoft} Microsoft (split {bundle.effective.google_percent}/{bundle.effective.microsoft_percent})"
    )
    return bundle


def describe_refusal(details: ErrorDetails) -> str:
    if details.code != grpc.StatusCode.INVALID_ARGUMENT or not details.reason or not details.field_violations:
        raise QuickstartFailed(f"expected INVALID_ARGUMENT with a reason and field violations, got {details}")
    fields = " ".join(f"field={v.field} ({v.description})" for v in details.field_violations)
    return f"{details.code.name} reason={details.reason} {fields}"


async def import_domains(client: AsyncPartnerClient) -> List[str]:
    step(2, f"ImportDomains: the customer's own {OWNED_DOMAINS[0]} and {OWNED_DOMAINS[1]}")
    request = domain_pb2.ImportDomainsRequest(domains=OWNED_DOMAINS)
    domain_import = (await client.domains.ImportDomains(request)).domain_import
    imported = [row.domain for row in domain_import.domains if row.status == domain_pb2.DOMAIN_IMPORT_STATUS_COMPLETED]
    say(f"      import {domain_import.id}: {len(imported)} of {len(OWNED_DOMAINS)} imported")
    for group in domain_import.nameserver_groups:
        for nameserver in group.nameservers:
            say(f"      point at nameserver {nameserver}")
    return imported


async def pick_domains(client: AsyncPartnerClient, bundle: bundle_pb2.Bundle, imported: List[str]) -> List[str]:
    """The imported domains plus available names: Microsoft-capable ones until
    the bundle's Microsoft count is covered (imported domains count as
    Microsoft-capable), then any, up to the bundle's total."""
    names = candidates()
    step(3, f"CheckAvailability: {len(names)} candidate names")
    availability = await client.domains.CheckAvailability(domain_pb2.CheckAvailabilityRequest(domains=names))
    picked = list(imported)
    microsoft_needed = bundle.required_domains.microsoft - len(imported)
    others = []
    available = [row for row in availability.domains if row.available]
    for row in available:
        if microsoft_needed > 0 and common_pb2.MAIL_PROVIDER_MICROSOFT in row.usable_for:
            picked.append(row.domain)
            microsoft_needed -= 1
        else:
            others.append(row.domain)
    picked += others[: max(0, bundle.required_domains.total - len(picked))]
    say(f"      {len(available)} of {len(names)} available; picked {len(picked)} domains for the order")
    if len(picked) < bundle.required_domains.total or microsoft_needed > 0:
        raise QuickstartFailed("not enough usable domains for the bundle")
    return picked


async def place_order(client: AsyncPartnerClient, bundle: bundle_pb2.Bundle, domains: List[str]) -> order_pb2.Order:
    step(4, "PlaceOrder: bundle order for alex@acme.com, Smartlead sequencer")
    request = order_pb2.PlaceOrderRequest(
        user="alex@acme.com",
        bundle_id=bundle.id,
        sequencer=order_pb2.Sequencer(
            provider=order_pb2.SEQUENCER_PROVIDER_SMARTLEAD,
            client_id=366903,
            login_email="peeker@yourcompany.com",
            login_password="sandbox-demo-login",
        ),
        forwarding_url="https://acme.com",
        domains=[order_pb2.OrderDomain(domain=name) for name in domains],
        personas=[
            order_pb2.Persona(first_name="Alex", last_name="Rivera", profile_picture_url=""),
            order_pb2.Persona(first_name="Sam", last_name="Lee", profile_picture_url=""),
        ],
    )
    order = (await client.orders.PlaceOrder(request)).order
    say(
        f"      order {order.id} for {order.email}: {order_pb2.OrderStatus.Name(order.status)}, "
        f"{order.domain_count} domains, total {order.costs.total_cents / 100:.2f} {order.costs.currency}"
    )
    return order


def connected_domain(event: order_event_pb2.OrderEvent) -> str:
    """The domain a domain.connected event names: `data.domain.name`, or
    `data.name` when the data is flat."""
    fields = event.data.fields
    if "domain" in fields:
        fields = fields["domain"].struct_value.fields
    return fields["name"].string_value


async def follow_order(client: AsyncPartnerClient, order: order_pb2.Order) -> None:
    step(5, f"StreamOrderEvents: {order.id}, from its first event")
    request = order_event_pb2.StreamOrderEventsRequest(order_ids=[order.id], resume_after="0")
    events = client.stream_order_events(
        request,
        on_resume=lambda status, cursor: say(f"      stream cut: {status.code.name}; resuming after cursor {cursor}"),
    )
    connected: Set[str] = set()
    try:
        async for event in events:
            line = f"      event {event.cursor} {event.type} {event.id}"
            if event.type == "domain.connected":
                domain = connected_domain(event)
                connected.add(domain)
                line += f" {domain}"
            say(line)
            if event.type == "order.completed":
                say(f"      order {order.id} completed: {len(connected)} of {order.domain_count} domains connected")
                return
            if event.type in FAILED_EVENT_TYPES:
                raise QuickstartFailed(f"order {order.id} ended with {event.type}")
    finally:
        await events.aclose()
    raise QuickstartFailed("the event stream ended before order.completed")


async def quickstart(target: str) -> None:
    async with connect(target) as client:
        say(f"Partner quickstart through the gateway at {target} (sandbox environment)")
        bundle = await create_bundle(client)
        imported = await import_domains(client)
        domains = await pick_domains(client, bundle, imported)
        order = await place_order(client, bundle, domains)
        try:
            await asyncio.wait_for(follow_order(client, order), FOLLOW_LIMIT_SECONDS)
        except asyncio.TimeoutError:
            raise QuickstartFailed(f"order {order.id} did not complete within {FOLLOW_LIMIT_SECONDS} s") from None
    say("Quickstart complete.")


def main() -> int:
    parser = argparse.ArgumentParser(description="The Partner quickstart through the gateway.")
    parser.add_argument("--gateway", default="localhost:50051", metavar="HOST:PORT")
    target = parser.parse_args().gateway
    try:
        asyncio.run(quickstart(target))
    except grpc.RpcError as error:
        say(f"      failed: {error_details(error)}")
        return 1
    except QuickstartFailed as failure:
        say(f"      failed: {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
