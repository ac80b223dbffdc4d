"""Structure readers: name/value pair lists, positional rows beside a schema, multipart parts with their own encodings, protobuf."""

import base64
import gzip
import json
import random

import blackboxprotobuf

from addons.engine.decode import Budget, Decoder
from addons.engine.structures import decode_protobuf, grpc_messages, header_rows, name_value, schema_rows
from tests.addons.support import IMEI, request, shape_detector

JSON = [("Content-Type", "application/json")]


def fields(body: object, headers: list[tuple[str, str]] | None = None) -> dict[str | None, str]:
    segments = Decoder().segments(request(body=json.dumps(body).encode() if not isinstance(body, bytes) else body,
                                          headers=headers or JSON))
    return {field: text for _location, field, _chain, text in segments}


def found(body: bytes, headers: list[tuple[str, str]]) -> dict[tuple[str, str, str | None], list[str]]:
    observations = shape_detector().analyze(request(body=body, headers=headers))
    return {(o.identifier, o.location, o.field): o.encoding for o in observations}


# -- name/value pairs ---------------------------------------------------------------------
def test_pair_objects_put_the_value_under_its_name() -> None:
    assert name_value({"pn": "lat", "pv": 39.9}) == ("lat", "pn", "pv")
    assert name_value({"key": "imei", "value": IMEI, "type": "string"}) == ("imei", "key", "value")
    assert name_value({"name": "John Smith", "value": 1}) is None  # a person's name is not a key
    assert name_value({"name": "screen", "duration": 3}) is None  # no value key: an ordinary object
    body = {"params": [{"pn": "os", "pv": "10"}, {"key": "imei", "value": IMEI}], "event": {"name": "open", "value": 1}}
    seen = fields(body)
    assert seen["params.imei"] == IMEI and seen["params.os"] == "10" and "params[1].value" not in seen
    result = found(json.dumps(body).encode(), JSON)
    assert result[("imei", "json", "params.imei")] == [] and not any("[1]" in (field or "") for _, _, field in result)


def test_pair_lists_are_no_reason_to_report_library_versions_or_event_ids() -> None:
    body = {"libs": [{"name": "okhttp", "value": "4.12.0"}, {"name": "sdk_version", "value": "3.2.1"}],
            "ids": [{"key": "request_id", "value": "0b8f6a52-1f7e-4c55-9c3a-5e3b7d9f1a20"},
                    {"key": "event_id", "value": "6d1c2a4e-8b3f-4f1a-a9e7-2c5d8b0f3e41"},
                    {"key": "ts", "value": "1717171717123"}]}
    assert found(json.dumps(body).encode(), JSON) == {}


# -- positional rows beside a schema ------------------------------------------------------------
def test_rows_beside_a_schema_are_read_by_column_name() -> None:
    assert schema_rows({"fields": ["imei", "os"], "values": [IMEI, "10"]}) == ("fields", ["imei", "os"], {"values": [[IMEI, "10"]]})
    assert schema_rows({"fields": ["a", "b"], "values": [1, 2, 3]}) is None  # lengths differ: not positional
    seen = fields({"d": {"columns": ["imei", "model"], "rows": [[IMEI, "SM-G960F"], ["352099001761481", "D6603"]]}})
    assert seen["d.rows[0].imei"] == IMEI and seen["d.rows[1].model"] == "D6603"
    result = found(json.dumps({"columns": ["imei", "os"], "values": [IMEI, "10"]}).encode(), JSON)
    assert result[("imei", "json", "values.imei")] == [] and not any("[0]" in (field or "") for _, _, field in result)


def test_a_table_with_a_header_row_is_read_by_column_name() -> None:
    assert header_rows([["imei", "os"], [IMEI, "10"]]) == (["imei", "os"], [[IMEI, "10"]])
    assert header_rows([["red", "green"], ["blue", "cyan"]]) is None  # word lists, not a table
    assert fields({"t": [["imei", "os"], [IMEI, "10"]]})["t[1].imei"] == IMEI


# -- multipart parts ----------------------------------------------------------------------
def _multipart(*parts: tuple[str, bytes]) -> tuple[bytes, list[tuple[str, str]]]:
    body = b"".join(b"--XyZ\r\n" + head.encode() + b"\r\n\r\n" + content + b"\r\n" for head, content in parts) + b"--XyZ--\r\n"
    return body, [("Content-Type", "multipart/form-data; boundary=XyZ")]


def test_a_gzip_compressed_part_is_read_with_its_own_type() -> None:
    track = gzip.compress(json.dumps({"device": {"imei": IMEI}}).encode())
    body, headers = _multipart(('Content-Disposition: form-data; name="meta"', b"v=1"),
                               ('Content-Disposition: form-data; name="track"; filename="t.gz"\r\nContent-Type: application/gzip', track))
    assert found(body, headers) == {("imei", "multipart", "track.device.imei"): ["gzip"]}


def test_part_content_and_transfer_encodings_are_undone() -> None:
    inner = json.dumps({"imei": IMEI}).encode()
    body, headers = _multipart(
        ('Content-Disposition: form-data; name="a"\r\nContent-Type: application/json\r\nContent-Encoding: gzip', gzip.compress(inner)),
        ('Content-Disposition: form-data; name="b"\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: base64',
         base64.encodebytes(inner)),
    )
    assert found(body, headers) == {("imei", "multipart", "a.imei"): ["gzip"], ("imei", "multipart", "b.imei"): ["base64"]}


# -- protobuf -----------------------------------------------------------------------------
def _protobuf(message: dict, typedef: dict) -> bytes:
    return bytes(blackboxprotobuf.encode_message(message, typedef))


BUNDLE_TYPE = {"1": {"type": "message", "message_typedef": {"8": {"type": "string"}, "19": {"type": "string"},
                                                             "21": {"type": "string"}, "3": {"type": "int"}}}}


def test_protobuf_bodies_are_read_without_a_schema() -> None:
    body = _protobuf({"1": {"8": "SM-G960F", "19": IMEI, "21": "c8a1f0e2b3d4e5f6a7b8c9d0e1f2a3b4", "3": 1717171717}}, BUNDLE_TYPE)
    assert decode_protobuf(body, 1 << 20) == {"1": {"8": "SM-G960F", "19": IMEI, "21": "c8a1f0e2b3d4e5f6a7b8c9d0e1f2a3b4",
                                                    "3": 1717171717}}
    assert found(body, [("Content-Type", "application/x-protobuf")]) == {("imei", "protobuf", "1.19"): []}
    # as Firebase sends it: gzip-compressed, labelled as a form
    packed = gzip.compress(body)
    assert found(packed, [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Encoding", "gzip")]) == {
        ("imei", "protobuf", "1.19"): ["gzip"]}


def test_grpc_frames_are_split_into_messages() -> None:
    message = _protobuf({"1": {"19": IMEI}}, BUNDLE_TYPE)
    framed = b"\x00" + len(message).to_bytes(4, "big") + message
    assert grpc_messages(framed) == [message] and grpc_messages(b"\x00\x00\x00\x00\x09abc") is None
    assert found(framed, [("Content-Type", "application/grpc")]) == {("imei", "protobuf", "1.19"): []}


def test_protobuf_decoding_is_bounded_and_never_fails_on_junk() -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(4096))
    for body in (junk, b"\x89PNG\r\n\x1a\n" + junk, b"\x0a\xff\xff\xff\xff\x0f", b"\x0a\x05" * 5000):
        assert found(body, [("Content-Type", "application/octet-stream")]) == {}
    nested = _protobuf({"1": {"19": IMEI}}, BUNDLE_TYPE)
    for _ in range(300):  # deeper than any real message
        nested = b"\x0a" + _varint(len(nested)) + nested
    observations = shape_detector().analyze(request(body=nested, headers=[("Content-Type", "application/x-protobuf")]))
    assert isinstance(observations, list)  # too deep for the decoder: skipped, not an exception
    large = _protobuf({"1": {"19": IMEI}}, BUNDLE_TYPE) + b"\x12" + _varint(300_000) + b"a" * 300_000
    assert decode_protobuf(large, Budget().max_protobuf) is None  # over the size bound: not tried


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


# -- XML ----------------------------------------------------------------------------------
GPX = ('<?xml version="1.0"?><gpx creator="tracker 2.1"><trk><trkseg>'
       '<trkpt lat="39.904211" lon="116.407395"><time>2024-05-17T13:45:12Z</time></trkpt>'
       '<trkpt lat="39.904305" lon="116.407512"><time>2024-05-17T13:45:17Z</time></trkpt></trkseg></trk></gpx>')


def test_a_gps_track_in_a_gzip_part_is_read_as_xml() -> None:
    body, headers = _multipart(('Content-Disposition: form-data; name="track"; filename="t.gpx.gz"\r\nContent-Type: application/gzip',
                                gzip.compress(GPX.encode())))
    result = found(body, headers)
    assert [key for key in result if key[0] == "precise_location"] == [("precise_location", "multipart", "track.trkpt.lat,track.trkpt.lon")]
    assert result[("precise_location", "multipart", "track.trkpt.lat,track.trkpt.lon")] == ["gzip"]


def test_xml_values_are_read_by_name_without_expanding_entities() -> None:
    soap = f'<Envelope><Body><Report><imei>{IMEI}</imei><lib name="okhttp" version="4.12.0"/></Report></Body></Envelope>'
    assert found(soap.encode(), [("Content-Type", "text/xml")]) == {("imei", "body", "imei"): []}
    bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;&b;&b;</l>'
    assert found(bomb.encode(), [("Content-Type", "application/xml")]) == {}
