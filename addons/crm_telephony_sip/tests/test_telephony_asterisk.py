"""Asterisk cdr_csv / cdr_custom / FreePBX rows of real call flows.

Column orders: ``build_csv_record()`` in Asterisk's ``cdr/cdr_csv.c`` (accountcode,
src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end,
duration, billsec, disposition, amaflags [, uniqueid] [, userfield] [, peeraccount,
linkedid, sequence]) with the ``[csv]`` options of ``configs/samples/cdr.conf.sample``
(loguniqueid, loguserfield, usegmtime, newcdrcolumns); the header line of the
``cdr_custom`` test follows the ``[mappings]`` order of
``configs/samples/cdr_custom.conf.sample``; the JSON rows are FreePBX's ``asteriskcdrdb.cdr``
columns (calldate, clid, src, dst, ..., uniqueid, userfield, did, recordingfile, cnum,
cnam, outbound_cnum, outbound_cnam, dst_cnam, linkedid, peeraccount, sequence). The
flows follow the Asterisk 12+ CDR model: one row per Party A / Party B pair, FreePBX
queues and ring groups dialling agents through ``Local/<ext>@from-queue-...;1`` whose
``;2`` half dials the device.
"""

from .common import SECRET, TelephonyCase

CLID = '"""Client"" <79161234567>"'


def row(*values):
    """One Master.csv line as cdr_csv writes it: strings quoted, integers bare."""
    return ",".join(v if isinstance(v, str) and v.startswith('"') else _q(v) for v in values)


def _q(value):
    return str(value) if isinstance(value, int) else f'"{value}"'


def base(src, dst, channel, dstchannel, app, start, answer, end, dur, bill, disp, ctx="from-trunk"):
    return (
        "",
        src,
        dst,
        ctx,
        CLID,
        channel,
        dstchannel,
        app,
        "",
        start,
        answer,
        end,
        dur,
        bill,
        disp,
        "DOCUMENTATION",
    )


# A queue call (trunk -> queue 600 -> Local/101 no answer, Local/102 answers), as the
# four Party A/Party B rows Asterisk writes for it.
QUEUE_ROWS = [
    # (base columns, uniqueid, linkedid, sequence)
    (
        base(
            "79161234567",
            "600",
            "PJSIP/trunk-00000011",
            "Local/101@from-queue-00000001;1",
            "Queue",
            "2024-05-01 13:00:00",
            "2024-05-01 13:00:01",
            "2024-05-01 13:00:21",
            21,
            0,
            "NO ANSWER",
        ),
        "1714557600.101",
        "1714557600.101",
        11,
    ),
    (
        base(
            "79161234567",
            "101",
            "Local/101@from-queue-00000001;2",
            "PJSIP/101-00000013",
            "Dial",
            "2024-05-01 13:00:01",
            "",
            "2024-05-01 13:00:21",
            20,
            0,
            "NO ANSWER",
            ctx="from-queue",
        ),
        "1714557601.103",
        "1714557600.101",
        13,
    ),
    (
        base(
            "79161234567",
            "600",
            "PJSIP/trunk-00000011",
            "Local/102@from-queue-00000002;1",
            "Queue",
            "2024-05-01 13:00:21",
            "2024-05-01 13:00:30",
            "2024-05-01 13:02:30",
            129,
            120,
            "ANSWERED",
        ),
        "1714557600.101",
        "1714557600.101",
        14,
    ),
    (
        base(
            "79161234567",
            "102",
            "Local/102@from-queue-00000002;2",
            "PJSIP/102-00000016",
            "Dial",
            "2024-05-01 13:00:22",
            "2024-05-01 13:00:30",
            "2024-05-01 13:02:30",
            128,
            120,
            "ANSWERED",
            ctx="from-queue",
        ),
        "1714557622.105",
        "1714557600.101",
        16,
    ),
]


def sample_layout(rows):
    """cdr.conf.sample: loguniqueid=yes, loguserfield=yes (18 columns)."""
    return "\n".join(row(*cols, uid, "") for cols, uid, _linked, _seq in rows) + "\n"


def newcdr_layout(rows):
    """cdr.conf.sample plus newcdrcolumns=yes (21 columns)."""
    return "\n".join(row(*cols, uid, "", "", linked, seq) for cols, uid, linked, seq in rows) + "\n"


def default_layout(rows):
    """Asterisk's code defaults: no uniqueid, no userfield (16 columns)."""
    return "\n".join(row(*cols) for cols, _uid, _linked, _seq in rows) + "\n"


class TestTelephonyAsterisk(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna, cls.boris = cls.anna_and_boris("ast")
        cls.pbx = cls.env["crm.telephony.connection"].create(
            {
                "name": "FreePBX 16",
                "provider": "asterisk",
                "secret": SECRET,
                "country_id": cls.russia.id,
                "tz": "Europe/Moscow",
                "extension_ids": [
                    (0, 0, {"extension": "101", "user_id": cls.anna.id}),
                    (0, 0, {"extension": "102", "user_id": cls.boris.id}),
                ],
            }
        )

    def post_csv(self, text):
        response = self.post_generic(
            text.encode(), connection=self.pbx, headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response

    def all_calls(self):
        return self.env["crm.telephony.call"].search([("connection_id", "=", self.pbx.id)])

    def assert_queue_call_credited_to_102(self):
        call = self.all_calls()
        self.assertEqual(len(call), 1, "one queue call, not one per leg")
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.user_id, self.boris)
        self.assertEqual(call.extension, "102")
        self.assertEqual(str(call.answered_at), "2024-05-01 10:00:30")
        self.assertEqual(call.talk_time, 120)
        self.assertFalse(call.is_missed)
        self.assertFalse(call.lead_id, "no missed-call deal for the agent who did not answer")
        return call

    def test_code_default_layout_without_uniqueid_is_one_stable_call(self):
        self.post_csv(default_layout(QUEUE_ROWS))
        call = self.assert_queue_call_credited_to_102()
        self.post_csv(default_layout(QUEUE_ROWS))
        self.assertEqual(self.all_calls(), call, "the same rows sent again are the same call")

    def test_sample_layout_queue_call_is_one_call_credited_to_the_agent(self):
        self.post_csv(sample_layout(QUEUE_ROWS))
        call = self.assert_queue_call_credited_to_102()
        self.assertEqual(call.provider_call_id, "1714557600.101")
        self.assertEqual(str(call.started_at), "2024-05-01 10:00:00")

    def test_newcdrcolumns_layout_groups_by_linkedid(self):
        self.post_csv(newcdr_layout(QUEUE_ROWS))
        call = self.assert_queue_call_credited_to_102()
        self.assertEqual(call.provider_call_id, "1714557600.101")

    def test_usegmtime_times_are_read_as_utc(self):
        self.pbx.cdr_usegmtime = True
        self.post_csv(sample_layout(QUEUE_ROWS))
        self.assertEqual(str(self.all_calls().started_at), "2024-05-01 13:00:00")

    def test_ring_group_nobody_answered_is_one_missed_call(self):
        rows = [
            (
                base(
                    "79169990011",
                    "600",
                    "PJSIP/trunk-00000021",
                    dev,
                    "Dial",
                    "2024-05-01 13:10:00",
                    "",
                    "2024-05-01 13:10:25",
                    25,
                    0,
                    "NO ANSWER",
                ),
                "1714558200.201",
                "1714558200.201",
                seq,
            )
            for dev, seq in (("PJSIP/101-00000022", 22), ("PJSIP/102-00000023", 23))
        ]
        self.post_csv(newcdr_layout(rows))
        call = self.all_calls()
        self.assertEqual(len(call), 1)
        self.assertTrue(call.is_missed)
        self.assertFalse(call.our_number, "the ring group number is not our DID")
        deals = self.env["crm.lead"].search([("phone_sanitized", "=", "+79169990011")])
        self.assertEqual(len(deals), 1, "one Unsorted deal, not one per ringing phone")
        self.assertEqual(deals.stage_id, self.unsorted)

    def test_caller_who_hangs_up_in_the_ivr_is_missed(self):
        rows = [
            (
                base(
                    "79165550011",
                    "s",
                    "PJSIP/trunk-00000031",
                    "",
                    "BackGround",
                    "2024-05-01 13:20:00",
                    "2024-05-01 13:20:01",
                    "2024-05-01 13:20:13",
                    13,
                    12,
                    "ANSWERED",
                    ctx="ivr-1",
                ),
                "1714558800.301",
                "1714558800.301",
                31,
            )
        ]
        self.post_csv(newcdr_layout(rows))
        call = self.all_calls()
        self.assertTrue(call.is_missed)
        self.assertEqual(call.talk_time, 0)
        self.assertFalse(call.our_number, 'dst "s" is not our number')

    def test_transfer_is_credited_to_the_agent_who_talked_last(self):
        rows = [
            (
                base(
                    "79161234567",
                    "74950000000",
                    "PJSIP/trunk-00000041",
                    "PJSIP/101-00000042",
                    "Dial",
                    "2024-05-01 13:30:00",
                    "2024-05-01 13:30:05",
                    "2024-05-01 13:30:35",
                    35,
                    30,
                    "ANSWERED",
                ),
                "1714559400.401",
                "1714559400.401",
                42,
            ),
            (
                base(
                    "79161234567",
                    "102",
                    "PJSIP/trunk-00000041",
                    "PJSIP/102-00000044",
                    "Dial",
                    "2024-05-01 13:30:35",
                    "2024-05-01 13:30:40",
                    "2024-05-01 13:31:40",
                    65,
                    60,
                    "ANSWERED",
                    ctx="from-internal-xfer",
                ),
                "1714559400.401",
                "1714559400.401",
                44,
            ),
        ]
        self.post_csv(newcdr_layout(rows))
        call = self.all_calls()
        self.assertEqual(call.user_id, self.boris)
        self.assertEqual(call.talk_time, 90)
        self.assertEqual(call.our_number, "74950000000")
        self.assertEqual(str(call.answered_at), "2024-05-01 10:30:05")

    def test_freepbx_cdr_table_row_without_answer_and_end_columns(self):
        rows = [
            {
                "calldate": "2024-05-01 13:40:00",
                "clid": '"Client" <79161234567>',
                "src": "",
                "cnum": "79161234567",
                "dst": "102",
                "dcontext": "from-did-direct",
                "channel": "PJSIP/trunk-00000051",
                "dstchannel": "PJSIP/102-00000052",
                "lastapp": "Dial",
                "lastdata": "PJSIP/102/sip:102@192.0.2.10,,HhtrIb(func-apply-sipheaders^s^1)",
                "duration": 65,
                "billsec": 60,
                "disposition": "ANSWERED",
                "amaflags": 3,
                "uniqueid": "1714560000.501",
                "userfield": "",
                "did": "74950000000",
                "recordingfile": "external-102-79161234567-20240501-134000-1714560000.501.wav",
                "linkedid": "1714560000.501",
                "sequence": 52,
            }
        ]
        response = self.post_generic({"rows": rows}, connection=self.pbx)
        self.assertEqual(response.status_code, 200)
        call = self.all_calls()
        self.assertEqual(call.client_number_e164, "+79161234567")
        self.assertEqual(call.user_id, self.boris)
        self.assertEqual(str(call.answered_at), "2024-05-01 10:40:05")
        self.assertEqual(str(call.ended_at), "2024-05-01 10:41:05")
        self.assertEqual(call.our_number, "74950000000")

    def test_cdr_custom_file_with_a_header_line(self):
        header = (
            "clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,start,answer,end,"
            "duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield,sequence\n"
        )
        line = (
            '"""Client"" <79161234567>","79161234567","74950000000","from-trunk",'
            '"PJSIP/trunk-00000061","PJSIP/101-00000062","Dial","PJSIP/101,20",'
            '"2024-05-01 13:50:00","2024-05-01 13:50:04","2024-05-01 13:51:04","64","60",'
            '"ANSWERED","DOCUMENTATION","","1714560600.601","","62"\n'
        )
        self.post_csv(header + line)
        call = self.calls("1714560600.601", self.pbx)
        self.assertEqual(call.user_id, self.anna)
        self.assertEqual(call.status, "answered")
