#!/usr/bin/env python3
"""Full evaluation of every regulation rule on 1,000 and on 100,000 open deals.

Builds a database with crm_regulation (no demo data), generates deals and activities
with set-based SQL (3 activities per deal on average, a share of them overdue), then
times one evaluation of all rules for each size and counts its SQL queries.

    scripts/bench/bench_rules.py [--small 1000] [--large 100000] [--keep]

Targets (issue #4): the large evaluation under 30 s on this 2-core machine, and the
same number of queries for both sizes.
"""

import argparse
import time

from common import bench_db, build_database, configure_odoo, open_database

import odoo
from odoo.tools import SQL

DB_NAME = bench_db("crm_reg_bench_rules")


def generate(env, team, count):
    """Insert `count` deals spread over the regulation stages, with ~3 activities each."""
    stages = env["crm.stage"].search([("regulation_code", "!=", False), ("is_won", "=", False)])
    users = env["res.users"].search([("share", "=", False)], limit=5)
    activity_type = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id("crm.lead")
    env.cr.execute(
        SQL(
            """INSERT INTO crm_lead (name, type, active, team_id, company_id, user_id, stage_id,
                                     expected_revenue, probability, create_date, write_date,
                                     date_last_stage_update, create_uid, write_uid, priority)
               SELECT 'Bench deal ' || n, 'opportunity', TRUE, %(team)s, %(company)s,
                      (%(users)s::int[])[1 + mod(n, %(user_count)s)],
                      (%(stages)s::int[])[1 + mod(n, %(stage_count)s)],
                      CASE WHEN mod(n, 3) = 0 THEN 0 ELSE 1000 + n END, 10,
                      now() at time zone 'UTC' - make_interval(mins => mod(n, 5000)),
                      now() at time zone 'UTC',
                      now() at time zone 'UTC' - make_interval(mins => mod(n, 7000)), 1, 1, '0'
                 FROM generate_series(1, %(count)s) AS n
               RETURNING id""",
            team=team.id,
            company=env.company.id,
            users=users.ids,
            user_count=len(users),
            stages=stages.ids,
            stage_count=len(stages),
            count=count,
        )
    )
    lead_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id,
                                          user_id, date_deadline, create_date, write_date,
                                          create_uid, write_uid)
               SELECT %(model)s, 'crm.lead', lead_id, %(type)s, 1,
                      (now() at time zone 'UTC')::date + (k - 2) * (mod(lead_id, 4)),
                      now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
                 FROM unnest(%(leads)s::int[]) AS lead_id,
                      generate_series(
                          1, CASE WHEN mod(lead_id, 10) = 0 THEN 0
                                  ELSE 3 + (mod(lead_id, 3) = 0)::int END) AS k""",
            model=model_id,
            type=activity_type.id,
            leads=lead_ids,
        )
    )
    env.cr.execute("ANALYZE crm_lead; ANALYZE mail_activity; ANALYZE mail_message")
    return len(lead_ids)


def evaluate(env):
    rules = env["crm.regulation.rule"].search([])
    env.flush_all()
    queries, started = env.cr.sql_log_count, time.perf_counter()
    for rule in rules:
        rule._detect()
    elapsed = time.perf_counter() - started
    env.cr.execute("SELECT count(*) FROM crm_regulation_violation WHERE state = 'open'")
    return elapsed, env.cr.sql_log_count - queries, env.cr.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the bench database")
    args = parser.parse_args()
    configure_odoo()
    if not args.keep:
        build_database(DB_NAME, "crm_regulation")
    registry = open_database(DB_NAME)
    results = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        team = env["crm.team"].create({"name": "Bench team", "use_regulation": True})
        env["crm.regulation.work.interval"]._refresh()
        evaluate(env)  # warm the caches: one-time lookups stay out of the counts
        total = 0
        for size in (args.small, args.large):
            total += generate(env, team, size - total)
            env.cr.execute("DELETE FROM crm_regulation_violation")
            cr.commit()
            results.append((total, *evaluate(env)))
            cr.commit()
        env.cr.execute("SELECT count(*) FROM mail_activity")
        activities = env.cr.fetchone()[0]
        cr.rollback()
    print(f"Full evaluation of all rules ({activities} activities in the database at the end):")
    for deals, elapsed, queries, opened in results:
        print(
            f"  {deals:>7} open deals: {elapsed:6.2f} s  {queries:4d} queries  "
            f"{opened} open violations"
        )
    (small, _t1, q1, _o1), (large, t2, q2, _o2) = results
    print(
        f"  queries {small} vs {large} deals: {q1} vs {q2} "
        f"({'same' if q1 == q2 else 'DIFFERENT'}); large run {t2:.1f} s (target < 30 s)"
    )


if __name__ == "__main__":
    main()
