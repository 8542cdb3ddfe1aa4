"""SQL that rebuilds deal stage history from Odoo's own stage tracking."""

from odoo.tools import SQL

# Rebuild the stays of every deal from the stage tracking Odoo already stores: the
# stage a deal was created in (the old value of its first tracked move, else its current
# stage), then one stay per tracked move, each left when the next move happened.
# Deals that already have a history are left alone. Payroll as well as tracking tells:
# the first stay of a deal in a payroll-eligible stage paid its current amount, clawed
# back if the deal then went back from it (re-entries pay nothing: their pay stands).
BACKFILL_STAGE_HISTORY = SQL(
    """
    WITH moves AS (
        SELECT msg.res_id AS lead_id, msg.date AS moved_at, msg.author_id,
               val.old_value_integer AS old_stage_id, val.new_value_integer AS new_stage_id,
               row_number() OVER (PARTITION BY msg.res_id ORDER BY msg.date, msg.id) AS move_no
          FROM mail_tracking_value val
          JOIN mail_message msg ON msg.id = val.mail_message_id
          JOIN ir_model_fields fld ON fld.id = val.field_id
         WHERE msg.model = 'crm.lead' AND fld.model = 'crm.lead' AND fld.name = 'stage_id'
    ), stays AS (
        SELECT lead.id AS lead_id,
               coalesce(first_move.old_stage_id, lead.stage_id) AS stage_id,
               least(lead.create_date, first_move.moved_at) AS entered_at,
               lead.create_uid AS moved_by_id,
               0 AS seq
          FROM crm_lead lead
     LEFT JOIN moves first_move ON first_move.lead_id = lead.id AND first_move.move_no = 1
        UNION ALL
        SELECT moves.lead_id, moves.new_stage_id, moves.moved_at, users.id, moves.move_no
          FROM moves
     LEFT JOIN LATERAL (SELECT id FROM res_users WHERE partner_id = moves.author_id
                         ORDER BY id LIMIT 1) users ON TRUE
    ), ordered AS (
        SELECT stays.*,
               lead(stays.entered_at) OVER w AS left_at,
               lead(stays.stage_id) OVER w AS next_stage_id,
               row_number() OVER (PARTITION BY stays.lead_id, stays.stage_id
                                  ORDER BY stays.seq) AS visit
          FROM stays
          JOIN crm_stage stage ON stage.id = stays.stage_id
        WINDOW w AS (PARTITION BY stays.lead_id ORDER BY stays.seq)
    ), paid AS (
        SELECT ordered.*,
               CASE WHEN cur.is_payroll_eligible AND ordered.visit = 1
                    THEN coalesce(lead.expected_revenue, 0) ELSE 0 END AS pay,
               coalesce(cur.is_payroll_eligible AND ordered.visit = 1
                        AND nxt.sequence < cur.sequence, FALSE) AS clawed
          FROM ordered
          JOIN crm_lead lead ON lead.id = ordered.lead_id
          JOIN crm_stage cur ON cur.id = ordered.stage_id
     LEFT JOIN crm_stage nxt ON nxt.id = ordered.next_stage_id
    )
    INSERT INTO crm_lead_stage_history
        (lead_id, stage_id, next_stage_id, team_id, salesperson_id, moved_by_id, company_id,
         entered_at, left_at, duration_hours, expected_revenue, is_payroll_eligible,
         payroll_amount, clawback_amount, clawed_back_at, is_clawback, is_backfilled, forced,
         create_uid, create_date, write_uid, write_date)
    SELECT paid.lead_id, paid.stage_id, nxt.id, lead.team_id, lead.user_id,
           paid.moved_by_id, lead.company_id, paid.entered_at, paid.left_at,
           EXTRACT(EPOCH FROM paid.left_at - paid.entered_at) / 3600.0,
           lead.expected_revenue, coalesce(cur.is_payroll_eligible, FALSE),
           paid.pay, CASE WHEN paid.clawed THEN paid.pay ELSE 0 END,
           CASE WHEN paid.clawed THEN paid.left_at END, paid.clawed,
           TRUE, FALSE, 1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
      FROM paid
      JOIN crm_lead lead ON lead.id = paid.lead_id
      JOIN crm_stage cur ON cur.id = paid.stage_id
 LEFT JOIN crm_stage nxt ON nxt.id = paid.next_stage_id
     WHERE paid.entered_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM crm_lead_stage_history done
                        WHERE done.lead_id = paid.lead_id)
  ORDER BY paid.lead_id, paid.seq
    """
)
