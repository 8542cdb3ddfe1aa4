"""Merging duplicate tags keeps every model's links to them, not only the deals'."""

import odoorpc
import pytest
from test_cli_helpers import unique


@pytest.fixture(scope="module")
def partner_tags_field(odoo_rpc):
    """Another model's tags: a custom many2many from contacts to CRM tags, as a user
    adds one in Settings (its own relation table)."""
    model_id = odoo_rpc.env["ir.model"].search([("model", "=", "res.partner")])[0]
    name = f"x_crm_tag_ids_{unique('f').split()[1]}"
    odoo_rpc.env["ir.model.fields"].create(
        {
            "name": name,
            "model_id": model_id,
            "ttype": "many2many",
            "relation": "crm.tag",
            "field_description": "CRM tags",
            "state": "manual",
        }
    )
    return name


def duplicate_tag(database, name):
    """A tag differing only by case and spaces, as an old database may hold (the
    unique index is dropped for it; the merge creates it again)."""
    with database() as connection, connection.cursor() as cr:
        cr.execute("DROP INDEX IF EXISTS crm_tag_name_normalized_uniq")
        cr.execute(
            "INSERT INTO crm_tag (name, color) VALUES (jsonb_build_object('en_US', %s), 1) "
            "RETURNING id",
            [f"  {name.upper()} "],
        )
        return cr.fetchone()[0]


def test_merging_keeps_the_tags_of_other_models(
    odoo_server, odoo_rpc, database, partner_tags_field
):
    name = unique("Wholesale")
    kept = odoo_rpc.env["crm.tag"].create({"name": name})
    duplicate = duplicate_tag(database, name)
    partner = odoo_rpc.env["res.partner"].create(
        {"name": unique("Tagged contact"), partner_tags_field: [(6, 0, [duplicate])]}
    )
    deal = odoo_rpc.env["crm.lead"].create(
        {"name": unique("Tagged deal"), "tag_ids": [(6, 0, [duplicate])]}
    )
    odoo_rpc.env["crm.tag"].action_merge_duplicate_tags()
    assert odoo_rpc.env["crm.tag"].search_count([("id", "=", duplicate)]) == 0
    [contact] = odoo_rpc.env["res.partner"].read([partner], [partner_tags_field])
    assert contact[partner_tags_field] == [kept]
    assert odoo_rpc.env["crm.lead"].read([deal], ["tag_ids"])[0]["tag_ids"] == [kept]
    with database() as connection, connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'crm_tag_name_normalized_uniq'")
        assert cr.rowcount == 1, "tags are unique again once merged"


def test_a_salesperson_cannot_merge_tags(odoo_server):
    salesperson = odoo_server.rpc("demo", "demo")
    with pytest.raises(odoorpc.error.RPCError) as error:
        salesperson.env["crm.tag"].action_merge_duplicate_tags()
    assert "Only a regulation manager may merge" in str(error.value)
