"""Two servers detecting at once, and two database connections racing, never duplicate."""

import threading

import odoorpc
import pytest
from test_cli_helpers import created_a_day_ago


@pytest.fixture()
def late_deal(odoo_rpc, database, round_the_clock_team):
    """A deal of a round-the-clock regulation team created a day ago, never contacted:
    late for R02 whatever the weekday and hour the test runs at."""
    deal_id = odoo_rpc.env["crm.lead"].create(
        {
            "name": "Race — late lead",
            "type": "opportunity",
            "team_id": round_the_clock_team,
            "stage_id": odoo_rpc.env.ref("crm_regulation.stage_new").id,
        }
    )
    created_a_day_ago(database, deal_id)
    return deal_id


def count_r02(odoo_rpc, deal_id):
    return odoo_rpc.env["crm.regulation.violation"].search_count(
        [("lead_id", "=", deal_id), ("rule_code", "=", "R02"), ("is_current", "=", True)]
    )


def test_two_detections_at_once_open_one_violation(odoo_server, odoo_rpc, late_deal):
    clients = [odoo_server.rpc(), odoo_server.rpc()]
    errors = []

    def detect(client):
        try:
            client.env["crm.regulation.rule"].action_run_detection([])
        except odoorpc.error.RPCError as error:  # reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=detect, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert count_r02(odoo_rpc, late_deal) == 1


def test_racing_connections_cannot_insert_two_current_violations(odoo_rpc, database, late_deal):
    rule_id = odoo_rpc.env.ref("crm_regulation.rule_r02").id
    insert = """INSERT INTO crm_regulation_violation
                    (rule_id, rule_code, lead_id, company_id, detected_at, state, is_current,
                     fine)
                VALUES (%s, 'R02', %s, 1, now(), 'open', TRUE, 0)
                ON CONFLICT (rule_id, lead_id) WHERE is_current DO NOTHING"""
    first, second = database(), database()
    try:
        with first.cursor() as cr:
            cr.execute("DELETE FROM crm_regulation_violation WHERE lead_id = %s", [late_deal])
            cr.execute(insert, [rule_id, late_deal])
        done = threading.Event()

        def second_insert():
            with second.cursor() as cr:
                cr.execute(insert, [rule_id, late_deal])  # waits for the first to commit
            second.commit()
            done.set()

        thread = threading.Thread(target=second_insert)
        thread.start()
        assert not done.wait(1), "the second insert must wait for the first transaction"
        first.commit()
        thread.join(timeout=30)
        assert done.is_set()
    finally:
        first.close()
        second.close()
    assert count_r02(odoo_rpc, late_deal) == 1
