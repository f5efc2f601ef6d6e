#!/usr/bin/env python3
"""Prepares the payments benchmark through the router (bench/payments.sh runs it).

Registers BENCH_PAYERS customers, each with a wallet topped up by a DEPOSIT; an
admin registers BENCH_MERCHANTS merchants (each with its own settlement wallet);
the merchants issue BENCH_INVOICES invoice VAs between them. Writes one line per
invoice, "<bearer token>\t<payer wallet>\t<VA>\t<amount>", the invoice assigned to
payer (n mod BENCH_PAYERS), to the file named by its first argument, and the
merchants' settlement wallets to the second.

Only the standard library: http.client with one keep-alive connection per worker.
"""

import http.client
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

ROUTER = urlsplit(os.environ["BENCH_ROUTER_URL"])
PAYERS = int(os.environ.get("BENCH_PAYERS", "500"))
MERCHANTS = int(os.environ.get("BENCH_MERCHANTS", "1"))
INVOICES = int(os.environ.get("BENCH_INVOICES", "40000"))
AMOUNT = int(os.environ.get("BENCH_AMOUNT", "10000"))
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@dompetsawit.local")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin-dev-password")
WORKERS = 16

_local = __import__("threading").local()


def graphql(query, variables=None, token=None, headers=None):
    """Posts to the router; returns `data`, raising on any error."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(ROUTER.hostname, ROUTER.port, timeout=30)
    sent = {"content-type": "application/json"}
    if token:
        sent["authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    body = json.dumps({"query": query, "variables": variables or {}})
    conn.request("POST", ROUTER.path, body=body, headers=sent)
    answer = json.loads(conn.getresponse().read())
    if answer.get("errors"):
        raise RuntimeError(f"{query.split('(')[0]}: {answer['errors']}")
    return answer["data"]


def sign_in(email, password):
    data = graphql(
        "mutation($e: String!, $p: String!) { loginUser(email: $e, password: $p) { access_token } }",
        {"e": email, "p": password},
    )
    return data["loginUser"]["access_token"]


def customer(name):
    """Registers `name`, signs in, opens a wallet; returns (token, wallet)."""
    graphql(
        "mutation($u: String!, $e: String!) { registerUser(username: $u, fullname: $u, email: $e, password: \"bench-password-1\") }",
        {"u": name, "e": f"{name}@bench.local"},
    )
    token = sign_in(f"{name}@bench.local", "bench-password-1")
    wallet = graphql(
        "mutation { createWallet(walletName: \"Bench\") { walletId } }", token=token
    )["createWallet"]["walletId"]
    return token, wallet


def payer(n):
    token, wallet = customer(f"payer{n}")
    # Enough for every invoice this payer gets, paid in deposits of at most 90 jt.
    need = (INVOICES // PAYERS + 1) * AMOUNT
    while need > 0:
        amount = min(need, 90_000_000)
        done = graphql(
            "mutation($i: TransactionInput!) { createTransaction(input: $i) { status } }",
            {"i": {"walletId": wallet, "amount": amount, "type": "DEPOSIT"}},
            token,
        )["createTransaction"]
        if done["status"] != "SUCCESS":
            raise RuntimeError(f"deposit: {done}")
        need -= amount
    return token, wallet


def merchant(n, admin):
    _, wallet = customer(f"merchant{n}")
    key = graphql(
        "mutation($i: MerchantInput!) { registerMerchant(input: $i) { apiKey } }",
        {"i": {"name": f"Bench merchant {n}", "settlementWalletId": wallet}},
        admin,
    )["registerMerchant"]["apiKey"]
    return key, wallet


def invoice(key):
    return graphql(
        "mutation($a: Float!) { generateInvoiceVA(amount: $a, description: \"bench\") }",
        {"a": AMOUNT},
        headers={"x-merchant-key": key},
    )["generateInvoiceVA"]


def main():
    out, settlements = sys.argv[1], sys.argv[2]
    with ThreadPoolExecutor(WORKERS) as pool:
        payers = list(pool.map(payer, range(PAYERS)))
        admin = sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        merchants = list(pool.map(lambda n: merchant(n, admin), range(MERCHANTS)))
        vas = list(pool.map(invoice, (merchants[n % MERCHANTS][0] for n in range(INVOICES)), chunksize=64))
    with open(out, "w") as f:
        for n, va in enumerate(vas):
            token, wallet = payers[n % PAYERS]
            f.write(f"{token}\t{wallet}\t{va}\t{AMOUNT}\n")
    with open(settlements, "w") as f:
        f.write("\n".join(wallet for _, wallet in merchants) + "\n")


if __name__ == "__main__":
    main()
