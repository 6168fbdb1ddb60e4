#pragma once
// Helpers for the PDU tests: bytes written as the spec's captures show them.
#include <QByteArray>
#include <QString>
#include <string_view>

#include "core/pdu/Pdu.h"

namespace pdutest {

using sextant::pdu::Bytes;

// "00 00 00 14 | 00 00 70 00": hex pairs; spaces and '|' are ignored.
inline Bytes hex(std::string_view text) {
  Bytes out;
  int hi = -1;
  for (char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

// The bytes of a string as it appears inside a PDU (no length, no padding).
inline Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }

inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// For QCOMPARE failure messages: the bytes as hex.
inline QString dump(const Bytes& b) {
  return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size())).toHex(' '));
}

}  // namespace pdutest

// QCOMPARE on Bytes prints hex on failure.
#define COMPARE_BYTES(actual, expected) QCOMPARE(pdutest::dump(actual), pdutest::dump(expected))
