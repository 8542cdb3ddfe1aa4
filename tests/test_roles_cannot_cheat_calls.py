"""Nobody rewrites the call log: every attack a salesperson (or a portal user) could try
over RPC on the real multi-worker server against calls is refused, and nothing changed
afterwards — the calls, their deals' first contact and chatter, the PBX extensions.

Calls are facts the PBX reports (the endpoint records them as the system): a
salesperson reads the calls of their own and their team's deals and of their own
extension, and writes only a call's summary. One test per attack, named after it.
"""

import pytest
from rpc_roles import make_user, refused
from test_cli_helpers import unique

CALL_FIELDS = [
    "status",
    "direction",
    "user_id",
    "lead_id",
    "partner_id",
    "started_at",
    "answered_at",
    "ended_at",
    "talk_time",
    "handled_at",
    "callback_call_id",
    "summary",
    "summary_at",
    "active",
]


# ----------------------------------------------------------------- helpers


def calls_of(admin, deal_id):
    return (
        admin.env["crm.telephony.call"]
        .with_context(active_test=False)
        .search_read([("lead_id", "=", deal_id)], CALL_FIELDS, order="id")
    )


def evidence(admin, deal_id):
    """Everything an attack through the call log could change on a deal."""
    deal = admin.env["crm.lead"].read([deal_id], ["user_id", "first_contact_at"])
    chatter = admin.env["mail.message"].search_read(
        [("model", "=", "crm.lead"), ("res_id", "=", deal_id)], ["body"], order="id"
    )
    activities = admin.env["mail.activity"].search_read(
        [("res_model", "=", "crm.lead"), ("res_id", "=", deal_id)], ["summary"], order="id"
    )
    return {
        "deal": deal,
        "calls": calls_of(admin, deal_id),
        "chatter": chatter,
        "activities": activities,
    }


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def admin(odoo_rpc):
    return odoo_rpc


@pytest.fixture(scope="module")
def teams(admin):
    return [admin.env["crm.team"].create({"name": unique("Calls team")}) for _n in range(2)]


@pytest.fixture(scope="module")
def seller(odoo_server, admin, teams):
    return make_user(
        odoo_server, admin, "calls-seller", ["sales_team.group_sale_salesman"], teams[0]
    )


@pytest.fixture(scope="module")
def teammate(odoo_server, admin, teams):
    return make_user(
        odoo_server, admin, "calls-teammate", ["sales_team.group_sale_salesman"], teams[0]
    )


@pytest.fixture(scope="module")
def stranger(odoo_server, admin, teams):
    return make_user(
        odoo_server, admin, "calls-stranger", ["sales_team.group_sale_salesman"], teams[1]
    )


@pytest.fixture(scope="module")
def portal(odoo_server, admin):
    return make_user(odoo_server, admin, "calls-portal", ["base.group_portal"])


@pytest.fixture(scope="module")
def connection(admin, seller, stranger):
    return admin.env["crm.telephony.connection"].create(
        {
            "name": unique("Cheat PBX"),
            "provider": "generic",
            "extension_ids": [
                (0, 0, {"extension": "201", "user_id": seller[1]}),
                (0, 0, {"extension": "202", "user_id": stranger[1]}),
            ],
        }
    )


def new_deal(admin, team_id, user_id):
    return admin.env["crm.lead"].create(
        {
            "name": unique("Calls — deal"),
            "type": "opportunity",
            "team_id": team_id,
            "user_id": user_id,
            "phone": "+79035550101",
        }
    )


def new_call(admin, connection, deal_id, user_id, **values):
    vals = {
        "connection_id": connection,
        "provider_call_id": unique("cheat-call"),
        "direction": "inbound",
        "status": "answered",
        "client_number": "+79035550101",
        "lead_id": deal_id,
        "user_id": user_id,
        "started_at": "2026-01-05 10:00:00",
        "answered_at": "2026-01-05 10:00:10",
        "ended_at": "2026-01-05 10:03:00",
        "talk_time": 170,
    }
    vals.update(values)
    return admin.env["crm.telephony.call"].create(vals)


@pytest.fixture(scope="module")
def my_deal(admin, teams, seller):
    return new_deal(admin, teams[0], seller[1])


@pytest.fixture(scope="module")
def their_deal(admin, teams, stranger):
    return new_deal(admin, teams[1], stranger[1])


@pytest.fixture(scope="module")
def missed_call(admin, connection, my_deal, seller):
    return new_call(
        admin,
        connection,
        my_deal,
        seller[1],
        status="no_answer",
        answered_at=False,
        talk_time=0,
    )


@pytest.fixture(scope="module")
def answered_call(admin, connection, my_deal, seller):
    return new_call(admin, connection, my_deal, seller[1])


@pytest.fixture(scope="module")
def their_call(admin, connection, their_deal, stranger):
    return new_call(admin, connection, their_deal, stranger[1])


# ----------------------------------------------------- what a salesperson may do


def test_salesperson_writes_the_summary_of_their_own_call(admin, seller, my_deal, connection):
    client, uid = seller
    call = new_call(admin, connection, my_deal, uid)
    client.env["crm.telephony.call"].write([call], {"summary": "Agreed on 10 chairs"})
    [stored] = admin.env["crm.telephony.call"].read([call], ["summary", "summary_at"])
    assert stored["summary"] == "Agreed on 10 chairs" and stored["summary_at"]
    bodies = [m["body"] for m in evidence(admin, my_deal)["chatter"]]
    assert any("Agreed on 10 chairs" in body for body in bodies)


def test_teammate_sees_the_calls_of_the_teams_deals(teammate, answered_call):
    client, _uid = teammate
    assert client.env["crm.telephony.call"].search([("id", "=", answered_call)]) == [answered_call]


# ------------------------------------------------------------ the attacks


def test_salesperson_cannot_forge_a_call(admin, seller, my_deal, connection):
    client, uid = seller
    before = evidence(admin, my_deal)
    refused(
        lambda: client.env["crm.telephony.call"].create(
            {
                "connection_id": connection,
                "provider_call_id": unique("forged"),
                "direction": "outbound",
                "status": "answered",
                "client_number": "+79035550101",
                "lead_id": my_deal,
                "user_id": uid,
                "started_at": "2026-01-05 09:00:00",
                "summary": "Called the customer at once",
            }
        ),
        "not allowed",
    )
    assert evidence(admin, my_deal) == before


def test_salesperson_cannot_mark_a_missed_call_called_back(
    admin, seller, my_deal, missed_call, answered_call
):
    client, _uid = seller
    before = evidence(admin, my_deal)
    calls = client.env["crm.telephony.call"]
    refused(
        lambda: calls.write([missed_call], {"handled_at": "2026-01-05 10:01:00"}),
        "only their summary",
    )
    refused(lambda: calls.write([missed_call], {"callback_call_id": answered_call}), "summary")
    assert evidence(admin, my_deal) == before


def test_salesperson_cannot_rewrite_a_calls_status(admin, seller, my_deal, answered_call):
    client, _uid = seller
    before = evidence(admin, my_deal)
    calls = client.env["crm.telephony.call"]
    # an answered call asks for a summary (R13): calling it missed would dodge that
    refused(lambda: calls.write([answered_call], {"status": "no_answer"}), "only their summary")
    refused(lambda: calls.write([answered_call], {"direction": "internal"}), "summary")
    refused(lambda: calls.write([answered_call], {"talk_time": 0}), "summary")
    assert evidence(admin, my_deal) == before


def test_salesperson_cannot_move_a_call_to_another_deal_or_salesperson(
    admin, teams, seller, teammate, my_deal, answered_call
):
    client, _uid = seller
    other_deal = new_deal(admin, teams[0], seller[1])
    before, other_before = evidence(admin, my_deal), evidence(admin, other_deal)
    calls = client.env["crm.telephony.call"]
    refused(lambda: calls.write([answered_call], {"lead_id": other_deal}), "only their summary")
    refused(lambda: calls.write([answered_call], {"user_id": teammate[1]}), "summary")
    assert evidence(admin, my_deal) == before
    assert evidence(admin, other_deal) == other_before


def test_salesperson_cannot_delete_a_call(admin, seller, my_deal, missed_call):
    client, _uid = seller
    before = evidence(admin, my_deal)
    calls = client.env["crm.telephony.call"]
    refused(lambda: calls.unlink([missed_call]), "not allowed")
    refused(lambda: calls.write([missed_call], {"active": False}), "summary")
    assert evidence(admin, my_deal) == before


def test_salesperson_does_not_see_calls_of_another_teams_deal(seller, their_call):
    client, _uid = seller
    calls = client.env["crm.telephony.call"]
    assert calls.search([("id", "=", their_call)]) == []
    refused(lambda: calls.read([their_call], ["summary"]), "access")


def test_salesperson_cannot_write_a_summary_on_a_call_they_cannot_see(
    admin, seller, their_deal, their_call
):
    client, _uid = seller
    before = evidence(admin, their_deal)
    refused(
        lambda: client.env["crm.telephony.call"].write(
            [their_call], {"summary": "The customer is not interested"}
        ),
        "access",
    )
    assert evidence(admin, their_deal) == before


def test_summary_of_their_extensions_call_never_reaches_a_deal_they_cannot_read(
    admin, seller, their_deal, connection
):
    client, uid = seller
    # the seller took a call (their extension) of a customer whose deal is another team's
    call = new_call(admin, connection, their_deal, uid)
    before = evidence(admin, their_deal)
    client.env["crm.telephony.call"].write([call], {"summary": "Customer wants a discount"})
    after = evidence(admin, their_deal)
    assert after["chatter"] == before["chatter"]
    assert after["deal"] == before["deal"]


def test_salesperson_cannot_map_a_colleagues_extension_to_themselves(admin, seller, connection):
    client, uid = seller
    extensions = admin.env["crm.telephony.extension"]
    before = extensions.search_read([("connection_id", "=", connection)], ["extension", "user_id"])
    theirs = [ext["id"] for ext in before if ext["extension"] == "202"]
    mine = client.env["crm.telephony.extension"]
    refused(lambda: mine.write(theirs, {"user_id": uid}), "not allowed")
    refused(
        lambda: mine.create({"connection_id": connection, "extension": "299", "user_id": uid}),
        "not allowed",
    )
    after = extensions.search_read([("connection_id", "=", connection)], ["extension", "user_id"])
    assert after == before


def test_salesperson_cannot_read_the_pbx_request_journal(seller, connection):
    client, _uid = seller
    refused(
        lambda: client.env["crm.telephony.event"].search([("connection_id", "=", connection)]),
        "not allowed",
    )


def test_salesperson_cannot_log_a_call_on_a_deal_they_cannot_read(admin, seller, their_deal):
    client, _uid = seller
    before = evidence(admin, their_deal)
    refused(
        lambda: client.env["crm.lead"].action_telephony_click_to_call([their_deal]),
        "access",
    )
    assert evidence(admin, their_deal) == before


def test_portal_user_reads_no_call(portal, answered_call):
    client, _uid = portal
    refused(lambda: client.env["crm.telephony.call"].read([answered_call], ["summary"]))
