"""Shared code of the admin command-line tools in ``scripts/`` (import_spreadsheet,
seed_demo, regulation_report): connecting to Odoo over RPC, errors, progress output."""
