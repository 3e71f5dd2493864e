"""Hand-built HTTP/2 frames for the abuse harness: just enough of RFC 9113
and RFC 7541 (HPACK literals, no Huffman) to open gRPC streams on a raw
socket and misbehave in ways a real client library would not."""

import socket
import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
CANCEL = 0x8


def frame(kind, flags, stream_id, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(
        ">I", stream_id & 0x7FFFFFFF) + payload


def _hpack_int(value, prefix_bits, first_byte_flags):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte_flags | value])
    out = bytearray([first_byte_flags | limit])
    value -= limit
    while value >= 128:
        out.append((value % 128) + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def _string(s):
    b = s.encode()
    return _hpack_int(len(b), 7, 0) + b


def _literal_indexed_name(index, value):
    # Literal header field without indexing, name from the static table.
    return _hpack_int(index, 4, 0x00) + _string(value)


def _literal_new_name(name, value):
    return b"\x00" + _string(name) + _string(value)


def grpc_headers_block(path, authority="accord"):
    return (b"\x83"  # :method POST (static index 3)
            + b"\x86"  # :scheme http (static index 6)
            + _literal_indexed_name(4, path)  # :path
            + _literal_indexed_name(1, authority)  # :authority
            + _literal_new_name("content-type", "application/grpc")
            + _literal_new_name("te", "trailers"))


def grpc_message(body=b""):
    return b"\x00" + struct.pack(">I", len(body)) + body


def connect(address, timeout=10):
    host, port = address.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s
