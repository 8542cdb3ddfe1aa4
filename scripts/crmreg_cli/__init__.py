"""Shared code of the admin command-line tools in ``scripts/`` (import_spreadsheet,
seed_demo, regulation_report, replay_calls): connecting to Odoo over RPC, errors,
progress output, synthetic PBX days."""
