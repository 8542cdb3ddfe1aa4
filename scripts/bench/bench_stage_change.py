#!/usr/bin/env python3
"""Stage change with and without the regulation, side by side in one run.

Builds two fresh databases on this machine — ``crm`` alone (vanilla) and ``crm`` +
``crm_regulation`` — then, in each, moves deals one by one and in one batch, and prints
wall time, SQL queries and the ratios regulation / vanilla.

    scripts/bench/bench_stage_change.py [--deals 300] [--batch 1000] [--keep]

Targets (issue #3): at most 1.3x the vanilla time and at most 10 extra queries per deal
moved; a batch move of 1,000 deals costs the same number of queries as one of 100.
"""

import argparse
import statistics
import time

from common import bench_db, build_database, configure_odoo

import odoo
from odoo.modules.registry import Registry


class Scenario:
    """Deals and the two stages they move between, in one database."""

    def __init__(self, env, regulated):
        self.env = env
        self.regulated = regulated
        team = env["crm.team"].create({"name": "Bench team"})
        if regulated:
            team.use_regulation = True
            self.source = env.ref("crm_regulation.stage_in_work")
            self.target = env.ref("crm_regulation.stage_qualified")
        else:
            self.source = env.ref("crm.stage_lead1")
            self.target = env.ref("crm.stage_lead2")
        self.team = team

    def deals(self, count):
        deals = self.env["crm.lead"].create(
            [
                {
                    "name": f"Bench — deal {n}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "stage_id": self.source.id,
                    "expected_revenue": 1000 + n,
                }
                for n in range(count)
            ]
        )
        self.env.cr.flush()
        self.env.invalidate_all()
        return deals

    def move_one_by_one(self, deals):
        cr = self.env.cr
        queries, started = cr.sql_log_count, time.perf_counter()
        for deal in deals:
            deal.write({"stage_id": self.target.id})
            cr.flush()  # flush and run the commit-time hooks (tracking) like a request
        return time.perf_counter() - started, cr.sql_log_count - queries

    def move_in_one_batch(self, deals):
        cr = self.env.cr
        queries, started = cr.sql_log_count, time.perf_counter()
        deals.write({"stage_id": self.target.id})
        cr.flush()
        return time.perf_counter() - started, cr.sql_log_count - queries


def measure_single(db_name, regulated, deals_count):
    """One round of single moves in a database (rolled back afterwards)."""
    registry = Registry(db_name)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        scenario = Scenario(env, regulated)
        scenario.move_one_by_one(scenario.deals(20))  # warm caches
        result = scenario.move_one_by_one(scenario.deals(deals_count))
        cr.rollback()
    return result


def measure_batches(db_name, regulated, batch_sizes):
    registry = Registry(db_name)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        scenario = Scenario(env, regulated)
        scenario.move_in_one_batch(scenario.deals(20))  # warm caches
        for size in batch_sizes:
            results[size] = scenario.move_in_one_batch(scenario.deals(size))
        cr.rollback()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100, help="deals moved one by one")
    parser.add_argument("--batch", type=int, default=1000, help="largest batch size")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (median kept)")
    parser.add_argument("--keep", action="store_true", help="reuse existing bench databases")
    args = parser.parse_args()
    configure_odoo()
    databases = {
        "vanilla": (bench_db("crm_reg_bench_vanilla"), "crm", False),
        "regulation": (bench_db("crm_reg_bench_regulation"), "crm_regulation", True),
    }
    if not args.keep:
        for db_name, modules, _regulated in databases.values():
            build_database(db_name, modules)
    batches = (args.batch // 10, args.batch)
    # Alternate vanilla and regulation rounds so that load on the machine hits both alike.
    rounds = {label: [] for label in databases}
    for _round in range(args.rounds):
        for label, (db_name, _modules, regulated) in databases.items():
            rounds[label].append(measure_single(db_name, regulated, args.deals))
    per_deal = {
        label: (
            statistics.median(elapsed for elapsed, _queries in runs) / args.deals * 1000,
            runs[0][1] / args.deals,
        )
        for label, runs in rounds.items()
    }
    vanilla, regulation = (
        measure_batches(db_name, regulated, batches)
        for db_name, _modules, regulated in databases.values()
    )
    print(
        f"Stage change, {args.deals} deals moved one by one (each flushed like a request), "
        f"median of {args.rounds} alternating rounds:"
    )
    for label in ("vanilla", "regulation"):
        ms, queries = per_deal[label]
        print(f"  {label:<10} {ms:7.2f} ms/deal  {queries:6.1f} queries/deal")
    ratio = per_deal["regulation"][0] / per_deal["vanilla"][0]
    extra = per_deal["regulation"][1] - per_deal["vanilla"][1]
    print(
        f"  ratio      {ratio:7.2f}x time   {extra:+6.1f} queries/deal (targets: <= 1.3x, <= +10)"
    )
    print("Batch move in one write:")
    for size in batches:
        (v_time, v_queries), (r_time, r_queries) = vanilla[size], regulation[size]
        print(
            f"  {size:>5} deals: vanilla {v_time * 1000:8.1f} ms {v_queries:5d} queries"
            f" | regulation {r_time * 1000:8.1f} ms {r_queries:5d} queries"
            f" | extra {r_queries - v_queries:+d}"
        )
    small, large = (regulation[size][1] - vanilla[size][1] for size in batches)
    print(
        f"  queries the regulation adds, {batches[0]} vs {batches[1]} deals: {small} vs {large}"
        f" ({'constant' if small == large else 'NOT constant'})"
    )


if __name__ == "__main__":
    main()
