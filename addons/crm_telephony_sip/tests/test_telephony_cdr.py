import json

from .common import SECRET, TelephonyCase

MASTER_CSV = (
    # an inbound call ringing extension 101 (no answer) then answered on 102
    '"","79161234567","74950000000","from-trunk","""Client"" <79161234567>",'
    '"PJSIP/trunk-00000001","PJSIP/101-00000002","Dial","PJSIP/101,20",'
    '"2024-05-01 13:00:00","","2024-05-01 13:00:20",20,0,"NO ANSWER","DOCUMENTATION",'
    '"1714557600.1","","1714557600.1",""\n'
    '"","79161234567","74950000000","from-trunk","""Client"" <79161234567>",'
    '"PJSIP/trunk-00000001","PJSIP/102-00000003","Dial","PJSIP/102,20",'
    '"2024-05-01 13:00:20","2024-05-01 13:00:25","2024-05-01 13:02:00",100,95,"ANSWERED",'
    '"DOCUMENTATION","1714557600.3","","1714557600.1",'
    '"in-74950000000-79161234567-20240501-130020-1714557600.3.wav"\n'
)


class TestTelephonyCdr(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = [(0, 0, {"extension": "102", "user_id": cls.salesman.id})]
        cls.asterisk = cls.env["crm.telephony.connection"].create(
            {
                "name": "FreePBX",
                "provider": "asterisk",
                "secret": SECRET,
                "country_id": cls.russia.id,
                "tz": "Europe/Moscow",
                "recording_base_url": "https://pbx.example.com/monitor",
                "extension_ids": users,
            }
        )
        cls.grandstream = cls.env["crm.telephony.connection"].create(
            {
                "name": "UCM6302",
                "provider": "grandstream",
                "secret": SECRET,
                "country_id": cls.russia.id,
                "extension_ids": [(0, 0, {"extension": "1001", "user_id": cls.salesman.id})],
            }
        )

    def test_cdr_csv_rows_of_one_call_are_grouped_by_linkedid(self):
        response = self.post_generic(
            MASTER_CSV.encode(), connection=self.asterisk, headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(response.status_code, 200)
        call = self.calls("1714557600.1", self.asterisk)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.extension, "102")
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.talk_time, 95)
        self.assertEqual(str(call.started_at), "2024-05-01 10:00:00")

    def test_freepbx_recording_file_is_mapped_to_its_date_folder(self):
        self.post_generic(
            MASTER_CSV.encode(), connection=self.asterisk, headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(
            self.calls("1714557600.1", self.asterisk).recording_url,
            "https://pbx.example.com/monitor/2024/05/01/"
            "in-74950000000-79161234567-20240501-130020-1714557600.3.wav",
        )

    def test_freepbx_json_rows_are_accepted(self):
        rows = [
            {
                "calldate": "2024-05-01 14:00:00",
                "src": "102",
                "dst": "89161234567",
                "channel": "PJSIP/102-00000010",
                "dstchannel": "PJSIP/trunk-00000011",
                "duration": 30,
                "billsec": 0,
                "disposition": "BUSY",
                "uniqueid": "1714561200.10",
                "linkedid": "1714561200.10",
                "recordingfile": "",
            }
        ]
        self.post_generic({"rows": rows}, connection=self.asterisk)
        call = self.calls("1714561200.10", self.asterisk)
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.status, "busy")
        self.assertEqual(call.client_number_e164, "+79161234567")

    def test_csv_row_with_wrong_column_count_answers_400(self):
        response = self.post_generic(
            b'"a","b","c"\n', connection=self.asterisk, headers={"Content-Type": "text/csv"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("columns", response.json()["error"])

    def test_grandstream_cdrapi_main_and_sub_cdrs_make_one_call(self):
        body = {
            "cdr_root": [
                {
                    "main_cdr": {
                        "start": "2024-05-01 10:00:00",
                        "answer": "",
                        "end": "2024-05-01 10:00:40",
                        "src": "79031234567",
                        "dst": "6500",
                        "disposition": "NO ANSWER",
                        "duration": "40",
                        "billsec": "0",
                        "uniqueid": "1714557600.21",
                        "session": "1714557600.21-gs",
                        "userfield": "Inbound",
                        "channel_ext": "trunk1",
                        "dstchannel_ext": "6500",
                        "recordfiles": "",
                    },
                    "sub_cdr_1": {
                        "start": "2024-05-01 10:00:02",
                        "answer": "2024-05-01 10:00:10",
                        "end": "2024-05-01 10:00:40",
                        "src": "79031234567",
                        "dst": "1001",
                        "disposition": "ANSWERED",
                        "duration": "38",
                        "billsec": "30",
                        "uniqueid": "1714557602.22",
                        "session": "1714557600.21-gs",
                        "userfield": "Inbound",
                        "dstchannel_ext": "1001",
                        "recordfiles": "2024-05/auto-1714557602-1001-79031234567.wav@",
                    },
                }
            ]
        }
        response = self.post_generic(body, connection=self.grandstream)
        self.assertEqual(response.status_code, 200)
        call = self.calls("1714557600.21-gs", self.grandstream)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.talk_time, 30)
        self.assertEqual(call.recording_ref, "2024-05/auto-1714557602-1001-79031234567.wav")

    def test_grandstream_body_without_cdr_items_answers_400(self):
        response = self.post_generic(json.loads('{"rows": []}'), connection=self.grandstream)
        self.assertEqual(response.status_code, 400)
